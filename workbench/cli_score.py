"""Fidelity commands of the CLI: `score`, `score-pairs` and `eval-divergences`.

`workbench.cli` imports this module and calls `register(cli)`. Every user error is raised as a
`workbench.errors.*` exception, which `workbench.cli.main` turns into one line and an exit code.
Heavy modules (pandas, the fidelity package, the encoders) are imported inside the commands.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Any

import click

from workbench.cli import (
    _alignment_options,
    _check_output,
    _encoder_option,
    _langs,
    _run_alignment,
    _write_output,
)
from workbench.errors import FormatError, InputFileError, OutputError

#: what `score` and `score-pairs` can write (vecalign has no room for scores)
SCORE_EXPORTS = ["csv", "tsv", "jsonl", "parquet", "xlsx", "tmx", "html"]
_BINARY = {"parquet", "xlsx"}
#: other extensions `-o` understands (a .txt output is a TSV table)
_ALIASES = {"txt": "tsv", "htm": "html", "json": "jsonl", "ndjson": "jsonl", "pq": "parquet"}


# -- shared pieces ------------------------------------------------------------------------------


def _fidelity_options(f):
    f = click.option("--disable-check", "disabled", multiple=True, metavar="NAME",
                     help="Switch a check off (repeatable); 'moved' switches off moved-passage detection.")(f)
    f = click.option("--check", "assignments", multiple=True, metavar="NAME.KEY=VALUE",
                     help="Set a check's setting, e.g. names.threshold=0.6 (repeatable); "
                          "a top-level setting works too, e.g. equivalent_threshold=0.8.")(f)
    f = click.option("--config", "config_path", default=None, metavar="FILE",
                     help="Fidelity settings as TOML (thresholds, [checks.NAME] tables).")(f)
    f = click.option("--save-calibration", "save_calibration", default=None, metavar="FILE",
                     help="Write what this run measured (similarity anchors, length ratio, latent-term "
                          "statistics) as JSON, for --calibration in another run.")(f)
    f = click.option("--calibration", "calibration_path", default="auto", show_default=True,
                     metavar="auto|fresh|FILE",
                     help="The scale to score on. auto: the one remembered from the first run on these same "
                          "source sentences, or on a text holding 90% of them (so versions scored in separate "
                          "runs compare), else this run's own, remembered; fresh: this run's own, remembered "
                          "in place of any; FILE: one saved with --save-calibration.")(f)
    f = click.option("--glossary", default=None, metavar="FILE",
                     help="TSV: source term<TAB>allowed|target|terms; a term rendered otherwise is flagged.")(f)
    return f


def _output_options(f):
    f = click.option("--summary", "summary_path", default=None, metavar="FILE",
                     help="Write the summary (with the signature) as JSON to FILE instead of stderr.")(f)
    f = click.option("-o", "--output", default=None, help="Output file (default: stdout).")(f)
    f = click.option("--format", "fmt", default=None, type=click.Choice(SCORE_EXPORTS),
                     help="Export format (default: from the -o extension, else tsv).")(f)
    return f


def _fidelity_config(config_path: str | None, assignments: tuple[str, ...], disabled: tuple[str, ...]):
    from workbench.fidelity import FidelityConfig

    if config_path is not None:
        _need_file(config_path, "fidelity config ")
        cfg = FidelityConfig.from_toml(config_path)
    else:
        cfg = FidelityConfig()
    for item in assignments:
        key, sep, value = item.partition("=")
        if not sep:
            raise FormatError(f"--check {item!r}: expected NAME.KEY=VALUE, e.g. names.threshold=0.6")
        key = key.strip()
        if "." in key and not key.startswith("checks."):
            key = "checks." + key
        cfg.set(key, value.strip(), source="--check")
    for name in disabled:
        if name.strip() == "moved":  # not a per-link check but the document's move detection
            cfg.set("detect_moves", False, source="--disable-check")
        else:
            cfg.set(f"checks.{name.strip()}.enabled", False, source="--disable-check")
    return cfg.validate("--check" if assignments else "fidelity settings")


def _calibration(path: str, src_lang: str, tgt_lang: str):
    """auto / fresh, or the saved calibration, checked against the languages before any encoding starts."""
    if path in ("auto", "fresh"):
        return path
    from workbench.fidelity.calibrate import check_calibration_fits, read_calibration
    from workbench.text import check_language

    record = read_calibration(path)
    check_calibration_fits(record, check_language(src_lang), check_language(tgt_lang))
    return record


def _save_calibration(record: dict[str, Any], path: str | None) -> None:
    if path is not None:
        _write_output(json.dumps(record, ensure_ascii=False) + "\n", path)


def _check_output_option(path: str | None, option: str) -> None:
    """`_check_output` for an option other than -o: a directory is named with its option."""
    if path not in (None, "-") and Path(path).is_dir():
        raise OutputError(f"{path}: is a directory; give a file name for {option}")
    _check_output(path)


def _need_file(path: str, what: str = "") -> None:
    p = Path(path)
    if not p.exists():
        raise InputFileError(f"{what}{path}: no such file")
    if p.is_dir():
        raise InputFileError(f"{what}{path}: is a directory, not a file")


def _glossary(path: str | None):
    if path is None:
        return None
    from workbench.fidelity.checks.glossary import load_glossary

    _need_file(path, "glossary ")
    return load_glossary(path)


def _reference(reference: str | None, tgt_lang: str, presegmented: bool):
    """The reference, read and segmented like the target."""
    if reference is None:
        return None
    from workbench.text import read_document

    _need_file(reference, "reference ")
    return read_document(reference, tgt_lang, presegmented)


def _check_reference(ref_doc, reference: str, tgt_doc, tgt: str) -> None:
    """Sentence for sentence with the target, checked before any encoding starts (a reference
    segmented otherwise would score each link against another sentence)."""
    if len(ref_doc) != len(tgt_doc):
        raise FormatError(f"reference {reference} has {len(ref_doc)} sentences, target {tgt} has {len(tgt_doc)}: "
                          "the reference must be segmented like the target, one sentence for each")


def _resolve_format(fmt: str | None, output: str | None) -> str:
    if fmt is not None:
        return fmt
    if output and output != "-":
        suffix = Path(output).suffix.lower().lstrip(".")
        suffix = _ALIASES.get(suffix, suffix)
        if suffix in SCORE_EXPORTS:
            return suffix
    return "tsv"


def _check_binary_stdout(fmt: str, output: str | None) -> None:
    if fmt in _BINARY and (output is None or output == "-") and sys.stdout.isatty():
        raise OutputError(f"the {fmt} format is binary: give -o FILE or redirect stdout")


def _summary_line(summary: dict[str, Any]) -> str:
    labels = ", ".join(f"{k}: {v}" for k, v in summary.get("labels", {}).items() if v)
    flags = ", ".join(f"{k}: {v}" for k, v in summary.get("flags", {}).items()) or "none"
    cov = summary.get("coverage", {})
    return (f"fidelity {summary.get('fidelity', 0):.3f} over {summary.get('links', 0)} links "
            f"(coverage: sentences {cov.get('sentences', 1):.3f}, words {cov.get('words', 1):.3f}); "
            f"labels: {labels or 'none'}; flags: {flags}")


def _report(summary: dict[str, Any], signature: str, summary_path: str | None, quiet: bool,
            extra: dict[str, Any] | None = None) -> None:
    if summary_path is not None:
        payload = {**summary, **(extra or {}), "signature": signature}
        _write_output(json.dumps(payload, indent=1, ensure_ascii=False, default=str) + "\n", summary_path)
        return
    if quiet:
        return
    if extra:
        click.echo("; ".join(f"{k} {v}" for k, v in extra.items()), err=True)
    if summary.get("calibration", {}).get("from") == "remembered":
        click.echo("scored on the calibration remembered from an earlier run on these source sentences "
                   "(or on a text holding them); --calibration fresh measures this run's own", err=True)
    click.echo(_summary_line(summary), err=True)
    click.echo(f"signature: {signature}", err=True)


def _export(table, fmt: str, meta: dict[str, Any], output: str | None) -> None:
    from workbench.io import export_table

    data = export_table(table, fmt, None, meta=meta)
    _write_output(data, output)


def _read_pairs(path: str):
    import pandas as pd

    p = Path(path)
    _need_file(path)
    suffix = p.suffix.lower()
    if suffix in (".parquet", ".xlsx", ".jsonl"):
        from workbench.io import read_table

        return read_table(p)
    sep = "," if suffix == ".csv" else "\t"
    try:
        text = p.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputFileError(f"{path}: not UTF-8 text") from None
    _check_field_counts(text, sep, path)
    try:
        # index_col=False: pandas must never turn a first field into the index
        return pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, index_col=False)
    except pd.errors.EmptyDataError:
        raise InputFileError(f"{path}: empty file") from None
    except pd.errors.ParserError as exc:
        raise FormatError(f"{path}: cannot parse as {'CSV' if sep == ',' else 'TSV'}: {exc}") from None


def _check_field_counts(text: str, sep: str, path: str) -> None:
    """Every data row has as many fields as the header: pandas would otherwise shift a row with one
    field too many (an unquoted comma) into its index, or pad a short one, and lose text silently."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    try:
        header = next(reader, None)
        for row in reader:
            if row and header is not None and len(row) != len(header):
                raise FormatError(f"{path} line {reader.line_num}: expected {len(header)} fields, saw {len(row)}")
    except csv.Error as exc:
        raise FormatError(f"{path} line {reader.line_num}: {exc}") from None


def _read_scored(path: str):
    """A table written by `score`, its format told by its extension as `-o` tells it (a .txt is TSV)."""
    from workbench.io import read_table

    _need_file(path)
    suffix = Path(path).suffix.lower().lstrip(".")
    fmt = _ALIASES.get(suffix, suffix)
    if fmt not in SCORE_EXPORTS:
        raise FormatError(f"{path}: cannot tell the table's format from its extension; give a table written "
                          f"by `workbench score` ({', '.join('.' + f for f in SCORE_EXPORTS)})")
    return read_table(path, fmt)


# -- the commands -------------------------------------------------------------------------------


def register(cli: click.Group) -> None:
    @cli.command()
    @_alignment_options
    @click.option("--reference", default=None, metavar="FILE",
                  help="A reference translation (segmented like TGT): per-link chrF/BLEU, corpus BLEU/chrF/TER.")
    @_fidelity_options
    @_output_options
    def score(src, tgt, src_lang, tgt_lang, presegmented, encoder, max_group, windows, no_cache, quiet,
              reference, glossary, calibration_path, save_calibration, config_path, assignments, disabled, fmt, output,
              summary_path) -> None:
        """Align SRC with its translation TGT, score every link's fidelity, export the table."""
        from workbench import pipeline

        fmt = _resolve_format(fmt, output)
        _check_output(output, (src, tgt, reference, glossary, calibration_path, config_path))
        _check_output_option(summary_path, "--summary")
        _check_output_option(save_calibration, "--save-calibration")
        _check_binary_stdout(fmt, output)
        cfg = _fidelity_config(config_path, assignments, disabled)
        gl = _glossary(glossary)
        calibration = _calibration(calibration_path, src_lang, tgt_lang)
        ref_doc = _reference(reference, tgt_lang, presegmented)
        result = _run_alignment(src, tgt, src_lang, tgt_lang, presegmented, encoder, max_group, no_cache, quiet,
                                windows, before_encoding=None if ref_doc is None else
                                lambda _, tgt_doc: _check_reference(ref_doc, reference, tgt_doc, tgt))
        scored = pipeline.score_documents(result, glossary=gl, reference=ref_doc, fidelity_config=cfg,
                                          calibration=calibration)
        _save_calibration(scored.calibration, save_calibration)
        meta = result.meta() | {"summary": scored.summary, "signature": scored.signature}
        _export(scored.table, fmt, meta, output)
        t = result.timings
        timing = {"timings": f"encode {t.get('encode_s', 0):.2f}s, align {t.get('align_s', 0):.2f}s, "
                             f"score {t.get('score_s', 0):.2f}s"}
        _report(scored.summary, scored.signature, summary_path, quiet, timing)

    @cli.command(name="score-pairs")
    @click.argument("file", type=str)
    @click.option("--src-col", required=True, help="Column holding the source sentences.")
    @click.option("--tgt-col", required=True, help="Column holding the target sentences.")
    @_langs
    @_encoder_option
    @_fidelity_options
    @_output_options
    @click.option("--no-cache", is_flag=True, help="Do not read or write the embedding cache.")
    @click.option("-q", "--quiet", is_flag=True, help="No progress or summary on stderr.")
    def score_pairs_cmd(file, src_col, tgt_col, src_lang, tgt_lang, encoder, glossary, calibration_path,
                        save_calibration, config_path, assignments, disabled, fmt, output, summary_path, quiet,
                        no_cache) -> None:
        """Score pairs that are already aligned, one a row of FILE (TSV, or CSV by extension).

        The output keeps the input's other columns (such as an id) in front of the scores."""
        from workbench import pipeline
        from workbench.fidelity import score_pairs
        from workbench.text import check_language

        fmt = _resolve_format(fmt, output)
        _check_output(output, (file, glossary, calibration_path, config_path))
        _check_output_option(summary_path, "--summary")
        _check_output_option(save_calibration, "--save-calibration")
        _check_binary_stdout(fmt, output)
        src_lang, tgt_lang = check_language(src_lang), check_language(tgt_lang)
        cfg = _fidelity_config(config_path, assignments, disabled)
        gl = _glossary(glossary)
        calibration = _calibration(calibration_path, src_lang, tgt_lang)
        frame = _read_pairs(file)
        missing = [c for c in (src_col, tgt_col) if c not in frame.columns]
        if missing:
            raise FormatError(f"{file}: no column {', '.join(map(repr, missing))} "
                              f"(columns: {', '.join(map(str, frame.columns))})")
        if src_col == tgt_col:
            raise FormatError("--src-col and --tgt-col must name two different columns")
        if not len(frame):
            raise FormatError(f"{file}: no rows to score")
        enc = pipeline.get_encoder(encoder, use_cache=not no_cache)
        res = score_pairs(frame, src_col, tgt_col, src_lang, tgt_lang, encoder=enc, config=cfg, glossary=gl,
                          calibration=calibration)
        _save_calibration(res.calibration, save_calibration)
        meta = {"src_lang": src_lang, "tgt_lang": tgt_lang, "src_name": f"{file}:{src_col}",
                "tgt_name": f"{file}:{tgt_col}", "encoder": enc.id,
                "summary": res.summary, "signature": res.signature}
        _export(res.table, fmt, meta, output)
        _report(res.summary, res.signature, summary_path, quiet)

    @cli.command(name="eval-divergences")
    @click.argument("gold", type=str)
    @click.argument("pred", type=str)
    @click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
    def eval_divergences_cmd(gold: str, pred: str, as_json: bool) -> None:
        """Precision/recall/F1 per label and weighted of a scored table PRED against GOLD
        (a TSV of link<TAB>label<TAB>note, links as [src ids]:[tgt ids])."""
        from workbench.fidelity import evaluate_divergences

        _need_file(gold, "gold ")
        table = _read_scored(pred)
        if "label" not in table.columns:
            raise FormatError(f"{pred}: no 'label' column: give a table written by `workbench score`")
        res = evaluate_divergences(gold, table)
        if as_json:
            click.echo(json.dumps(res, indent=2))
            return
        click.echo(f"{'':12}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>9}")
        for name, v in res["per_label"].items():
            click.echo(f"{name:12}{v['precision']:>10.4f}{v['recall']:>10.4f}{v['f1']:>10.4f}{v['support']:>9}")
        w = res["weighted"]
        click.echo(f"{'weighted':12}{w['precision']:>10.4f}{w['recall']:>10.4f}{w['f1']:>10.4f}"
                   f"{res['gold_links']:>9}")
        d = res["divergent"]
        click.echo(f"{'divergent':12}{d['precision']:>10.4f}{d['recall']:>10.4f}{d['f1']:>10.4f}")
        click.echo(f"links matched: {res['matched_links']}/{res['gold_links']}; accuracy {res['accuracy']:.4f}")
