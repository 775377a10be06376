"""TMX 1.4b translation memory, built with translate-toolkit's `translate.storage.tmx.tmxfile`
(header with every required attribute, `tu`/`tuv`/`seg`), props added with lxml on its elements.

One `tu` per link, `tuid` = link number; both `tuv`s when both sides have text. An omission
(source only) or addition (target only) keeps a `tu` with its single `tuv` and a
`<prop type="x-kind">omission|addition</prop>`, so every sentence survives the round trip; CAT tools
that need both sides simply skip those units. Per-link props: `x-link`, `x-src-ids`, `x-tgt-ids`
(space-separated 0-based ids), `x-similarity`, `x-confidence`, `x-fidelity`, `x-label`, `x-flags`
(JSON); each extra column (an input's `id`, a human label) as `x-NAME` (`x-column-NAME` where that
is one of these), a missing value left out. Header props: `x-tgt-lang`, `x-src-name`, `x-tgt-name`,
`x-signature`, `x-summary` (JSON).

Characters XML 1.0 cannot hold (C0 controls other than tab/newline/CR, U+FFFE, U+FFFF) are replaced
by U+FFFD (same length, so flag offsets stay valid); all other text, \\r included, round-trips.
Reading also accepts foreign TMX files (no x- props): ids are then numbered in file order.
"""

from __future__ import annotations

import io
import json
import math
from typing import Any

from workbench.io.base import (
    Exporter,
    cell_text,
    exporter_registry,
    extra_columns,
    json_default,
    maybe_numeric,
    plain,
    xml_safe,
)

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: the per-link props of the table's own columns; any other x- prop is an extra column
OWN_PROPS = {"x-link", "x-src-ids", "x-tgt-ids", "x-kind", "x-similarity", "x-confidence", "x-fidelity",
             "x-label", "x-flags"}
_ESCAPE = "column-"  # marks an extra column whose plain x- name would be taken by an own prop


def _extra_prop(col: Any) -> str:
    """The prop type of an extra column: x-NAME (x-column-NAME where x-NAME is an own prop's)."""
    name = xml_safe(str(col))
    if "x-" + name in OWN_PROPS or name.startswith(_ESCAPE):
        name = _ESCAPE + name
    return "x-" + name


def _extra_name(prop_type: str) -> str:
    name = prop_type[2:]
    return name[len(_ESCAPE):] if name.startswith(_ESCAPE) else name


def _lang(code: Any) -> str:
    code = str(code or "").strip().replace("_", "-")
    return code or "und"


def _num(value: Any) -> str | None:
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else repr(f)


def _prop(parent, type_: str, text: str, before=None):
    from lxml import etree

    prop = etree.Element("prop")
    prop.set("type", type_)
    prop.text = xml_safe(text)
    if before is None:
        parent.append(prop)
    else:
        before.addprevious(prop)
    return prop


@exporter_registry.register("tmx")
class TmxExporter(Exporter):
    name = "tmx"
    extension = "tmx"
    mime = "application/x-tmx+xml"
    binary = True
    description = "TMX 1.4b translation memory (one tu per link, scores as props)"

    def write(self, table, meta: dict[str, Any]) -> bytes:
        from lxml import etree
        from translate.storage.tmx import tmxfile, tmxunit

        src_lang, tgt_lang = _lang(meta.get("src_lang")), _lang(meta.get("tgt_lang"))
        store = tmxfile(sourcelanguage=src_lang, targetlanguage=tgt_lang)
        store.addheader()
        header = store.document.getroot().find("header")
        header.set("creationtool", "workbench")
        from workbench import __version__

        header.set("creationtoolversion", __version__)
        header.set("adminlang", "en")
        _prop(header, "x-tgt-lang", tgt_lang)
        for key in ("src_name", "tgt_name", "signature"):
            if meta.get(key):
                _prop(header, "x-" + key.replace("_", "-"), str(meta[key]))
        if meta.get("summary") is not None:
            _prop(header, "x-summary", json.dumps(plain(meta["summary"]), ensure_ascii=False, default=json_default))

        extras = extra_columns(table)
        for rec in table.to_dict("records"):
            src, tgt = xml_safe(rec["src_text"]), xml_safe(rec["tgt_text"])
            unit = tmxunit(None)
            tu = unit.xmlelement
            tu.set("tuid", str(rec["link"]))
            props = [("x-link", str(rec["link"])),
                     ("x-src-ids", " ".join(map(str, rec["src_ids"]))),
                     ("x-tgt-ids", " ".join(map(str, rec["tgt_ids"])))]
            has_src = bool(rec["src_ids"]) or bool(src)
            has_tgt = bool(rec["tgt_ids"]) or bool(tgt)
            if not has_src and not has_tgt:
                has_src = True  # TMX needs at least one tuv
            if has_src and not has_tgt:
                props.append(("x-kind", "omission"))
            elif has_tgt and not has_src:
                props.append(("x-kind", "addition"))
            for col in ("similarity", "confidence", "fidelity"):
                if col in rec and _num(rec[col]) is not None:
                    props.append(("x-" + col, _num(rec[col])))
            if rec.get("label"):
                props.append(("x-label", str(rec["label"])))
            if "flags" in rec and rec["flags"] not in ("", "[]"):
                props.append(("x-flags", str(rec["flags"])))
            for col in extras:  # the input's other columns (an id, a note), as the other formats keep them
                text = cell_text(rec[col])
                if text is not None:
                    props.append((_extra_prop(col), text))
            for type_, text in props:
                _prop(tu, type_, text)
            for lang, text, present in ((src_lang, src, has_src), (tgt_lang, tgt, has_tgt)):
                if present:
                    tu.append(unit.createlanguageNode(lang, text, None))
            store.body.append(tu)
        buf = io.BytesIO()
        store.serialize(buf)
        data = buf.getvalue()
        etree.fromstring(data)  # well-formedness guard
        return data

    def read(self, data: bytes):
        import pandas as pd
        from lxml import etree

        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)
        root = etree.fromstring(data, parser)
        if etree.QName(root).localname != "tmx":
            raise ValueError("the root element is not <tmx>")
        header = root.find("header")
        src_lang = (header.get("srclang") if header is not None else None) or ""
        hprops = {p.get("type"): p.text or "" for p in (header.findall("prop") if header is not None else [])}
        tgt_lang = hprops.get("x-tgt-lang", "")
        meta: dict[str, Any] = {"src_lang": src_lang, "tgt_lang": tgt_lang}
        for key in ("src_name", "tgt_name", "signature"):
            if "x-" + key.replace("_", "-") in hprops:
                meta[key] = hprops["x-" + key.replace("_", "-")]
        if "x-summary" in hprops:
            try:
                meta["summary"] = json.loads(hprops["x-summary"])
            except ValueError:
                pass

        rows = []
        extras: set[str] = set()
        next_src = next_tgt = 0
        for tu in root.iter("tu"):
            props = {p.get("type"): p.text or "" for p in tu.findall("prop")}
            tuvs = [(_lang(t.get(XML_LANG) or t.get("lang")), _seg_text(t)) for t in tu.findall("tuv")]
            src_text = tgt_text = ""
            has_src = has_tgt = False
            if "x-src-ids" in props:  # our own export: sides known from the ids
                src_ids = [int(x) for x in props["x-src-ids"].split()]
                tgt_ids = [int(x) for x in props["x-tgt-ids"].split()]
                kind = props.get("x-kind")
                queue = list(tuvs)
                if kind != "addition" and queue:
                    src_text = queue.pop(0)[1]
                if kind != "omission" and queue:
                    tgt_text = queue.pop(0)[1]
            else:  # a foreign TMX: the source tuv by language, the first other one is the target
                src_ids, tgt_ids = [], []
                for lang, text in tuvs:
                    if not has_src and lang.lower() == _lang(src_lang).lower():
                        src_text, has_src = text, True
                    elif not has_tgt and (not tgt_lang or lang.lower() == _lang(tgt_lang).lower()):
                        tgt_text, has_tgt = text, True
                if has_src:
                    src_ids, next_src = [next_src], next_src + 1
                if has_tgt:
                    tgt_ids, next_tgt = [next_tgt], next_tgt + 1
            row: dict[str, Any] = {
                "link": int(props.get("x-link", len(rows))),
                "src_ids": src_ids, "tgt_ids": tgt_ids, "src_text": src_text, "tgt_text": tgt_text,
            }
            for col in ("similarity", "confidence", "fidelity"):
                row[col] = float(props["x-" + col]) if "x-" + col in props else float("nan")
            if "x-label" in props:
                row["label"] = props["x-label"]
            if "x-label" in props or "x-flags" in props:
                row["flags"] = props.get("x-flags", "[]")
            for type_, text in props.items():
                if type_ and type_.startswith("x-") and type_ not in OWN_PROPS:
                    row[_extra_name(type_)] = text
                    extras.add(_extra_name(type_))
            rows.append(row)
        frame = pd.DataFrame(rows)
        for col in extras:
            frame[col] = maybe_numeric(frame[col])
        if len(frame) and "label" in frame.columns:
            frame["label"] = frame["label"].fillna("")
            frame["flags"] = frame["flags"].fillna("[]")
        elif not len(frame):
            frame = pd.DataFrame(columns=["link", "src_ids", "tgt_ids", "src_text", "tgt_text"])
        frame.attrs["meta"] = meta
        return frame


def _seg_text(tuv) -> str:
    seg = tuv.find("seg")
    return "" if seg is None else "".join(seg.itertext())
