"""Sentence segmentation: paragraphs are blank-line separated blocks; inside a paragraph a
rule-based splitter (pysbd) does the work, with project rules on top."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from workbench.records import Document, Sentence
from workbench.text.languages import check_language
from workbench.text.reader import read_text

_BLANK = re.compile(r"\n[ \t\u00a0\u202f]*\n\s*")


def split_paragraphs(text: str) -> list[str]:
    return [p.strip() for p in _BLANK.split(text) if p.strip()]


@lru_cache(maxsize=32)
def _splitter(lang: str):
    import pysbd

    try:
        return pysbd.Segmenter(language=lang, clean=False)
    except (ValueError, KeyError):
        return pysbd.Segmenter(language="en", clean=False)


def segment_paragraph(paragraph: str, lang: str) -> list[str]:
    text = " ".join(paragraph.split())
    return [s.strip() for s in _splitter(lang).segment(text) if s.strip()]


def document_from_text(text: str, lang: str, presegmented: bool = False, name: str = "") -> Document:
    lang = check_language(lang)
    sentences: list[Sentence] = []
    for para_no, para in enumerate(split_paragraphs(text)):
        if presegmented:
            parts = [line.strip() for line in para.split("\n") if line.strip()]
        else:
            parts = segment_paragraph(para, lang)
        for part in parts:
            sentences.append(Sentence(len(sentences), part, para_no))
    return Document(lang, sentences, name)


def read_document(path: str | Path, lang: str, presegmented: bool = False) -> Document:
    lang = check_language(lang)
    return document_from_text(read_text(path), lang, presegmented, name=Path(path).name)
