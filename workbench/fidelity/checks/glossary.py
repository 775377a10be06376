"""Terminology: a source term from the user's glossary whose allowed translations are all
missing from the target. Matching is case- and accent-insensitive, splits elided articles
(`l'indivisibilité`) and compares word stems, so inflected forms match."""

from __future__ import annotations

import csv
import io
from functools import lru_cache
from pathlib import Path

from workbench.errors import FormatError, InputFileError
from workbench.fidelity.base import Check, CheckResult, DocContext, LinkCase, check_registry
from workbench.fidelity.langdata import fold, folded_words, words
from workbench.text.reader import read_text


def load_glossary(source) -> list[tuple[str, list[str]]]:
    """A TSV file (source term TAB allowed|target|terms; '#' comments) or a dict term -> str|list.

    A term listed twice allows the targets of both (a reviewer adding a variant further down)."""
    if source is None:
        return []
    if isinstance(source, dict):
        return _merge(_dict_entries(source))
    path = Path(source)
    return _merge(_tsv_entries(_read(path), path))


def _read(path: Path) -> str:
    """Any encoding the texts may have (a Latin-1 or UTF-16 export of a spreadsheet), BOM dropped."""
    try:
        return read_text(path)
    except InputFileError as exc:
        raise InputFileError(f"cannot read glossary {exc}") from None


def _dict_entries(source: dict) -> list[tuple[str, list[str]]]:
    out = []
    for k, v in source.items():
        targets = [t for t in (x.strip() for x in ([v] if isinstance(v, str) else list(v))) if t]
        if not targets:
            raise FormatError(f"glossary term {str(k)!r}: no target term")
        out.append((str(k).strip(), targets))
    return out


def _tsv_entries(text: str, path: Path) -> list[tuple[str, list[str]]]:
    out = []
    for n, row in enumerate(csv.reader(io.StringIO(text), delimiter="\t"), start=1):
        if not row or not "".join(row).strip() or row[0].lstrip().startswith("#"):
            continue
        if len(row) < 2 or not row[0].strip() or not row[1].strip():
            raise FormatError(f"glossary {path}, line {n}: expected 'source term<TAB>target|alternatives'")
        if n == 1 and fold(row[0]).strip() in ("source", "source term", "term", "src"):
            continue
        targets = [t.strip() for t in row[1].split("|") if t.strip()]
        if not targets:  # `term<TAB>|`: an empty target would flag every occurrence
            raise FormatError(f"glossary {path}, line {n}: no target term")
        out.append((row[0].strip(), targets))
    return out


def _merge(entries: list[tuple[str, list[str]]]) -> list[tuple[str, list[str]]]:
    """One entry per term (compared as matching does: case and accents aside), the first spelling kept."""
    merged: dict[str, tuple[str, list[str]]] = {}
    for term, targets in entries:
        _, allowed = merged.setdefault(" ".join(fold(term).split()), (term, []))
        allowed.extend(t for t in targets if t not in allowed)
    return list(merged.values())


def _stem(w: str) -> str:
    return w if len(w) <= 4 else w[:max(4, len(w) - 3)]


@lru_cache(maxsize=4096)
def _term_stems(term: str) -> tuple[str, ...]:
    return tuple(_stem(fold(w)) for w, _, _ in words(term))


def find(term: str, tokens) -> list[tuple[int, int]]:
    """Spans where `term` occurs among folded `tokens`."""
    tw = _term_stems(term)
    if not tw:
        return []
    first = tw[0]
    spans = []
    for i in range(len(tokens) - len(tw) + 1):
        if not tokens[i][0].startswith(first):
            continue
        if all(tokens[i + k][0].startswith(tw[k]) for k in range(len(tw))):
            spans.append((tokens[i][1], tokens[i + len(tw) - 1][2]))
    return spans


@check_registry.register("glossary")
class GlossaryCheck(Check):
    name = "glossary"
    defaults = {"threshold": 0.5, "weight": 0.5, "major": True}

    def score(self, case: LinkCase, ctx: DocContext) -> CheckResult | None:
        if not ctx.glossary:
            return None
        src_tok = folded_words(case.src_text)
        tgt_tok = folded_words(case.tgt_text)
        missing, spans, seen = [], [], False
        for term, allowed in ctx.glossary:
            where = find(term, src_tok)
            if not where:
                continue
            seen = True
            if not any(find(t, tgt_tok) for t in allowed):
                missing.append(f"{term!r} -> {' | '.join(allowed)}")
                spans += where
        if not seen:
            return None
        if not missing:
            return CheckResult(0.0)
        return CheckResult(1.0, "glossary term not rendered as required: " + "; ".join(missing), tuple(spans))
