"""The typed records that flow through the workbench.

texts -> Document (Sentences) -> embeddings -> Links -> scored table (DataFrame).
The DataFrame is the exchange format between the library, the CLI, the app and the exporters;
`LINK_COLUMNS` and `SCORED_COLUMNS` name its columns.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pandas is imported lazily: `import workbench` stays light
    import pandas as pd

LABELS = ("equivalent", "minor", "major", "omission", "addition")
#: one light colour per label, shared by the app, the HTML report and the XLSX export
LABEL_COLOURS = {
    "equivalent": "#c6efce",
    "minor": "#ffeb9c",
    "major": "#ffc7ce",
    "omission": "#d9d2e9",
    "addition": "#bdd7ee",
}

LINK_COLUMNS = ["link", "src_ids", "tgt_ids", "src_text", "tgt_text", "similarity", "confidence"]
SCORED_COLUMNS = LINK_COLUMNS + ["fidelity", "label", "flags"]


@dataclass(frozen=True)
class Sentence:
    """One segment of a document: its 0-based number, its text and the paragraph it sits in."""

    id: int
    text: str
    paragraph: int = 0


@dataclass
class Document:
    """A segmented text in one language."""

    lang: str
    sentences: list[Sentence] = field(default_factory=list)
    name: str = ""

    @property
    def texts(self) -> list[str]:
        return [s.text for s in self.sentences]

    @property
    def paragraphs(self) -> list[int]:
        return [s.paragraph for s in self.sentences]

    def __len__(self) -> int:
        return len(self.sentences)

    @classmethod
    def from_texts(cls, texts: Sequence[str], lang: str, paragraphs: Sequence[int] | None = None,
                   name: str = "") -> Document:
        paras = list(paragraphs) if paragraphs is not None else [0] * len(texts)
        return cls(lang, [Sentence(i, t, p) for i, (t, p) in enumerate(zip(texts, paras, strict=True))], name)


@dataclass(frozen=True)
class Link:
    """One alignment link: consecutive source ids and consecutive target ids (either may be empty)."""

    src_ids: tuple[int, ...]
    tgt_ids: tuple[int, ...]
    similarity: float = 0.0
    confidence: float = 0.0

    @property
    def kind(self) -> str:
        return f"{len(self.src_ids)}-{len(self.tgt_ids)}"

    def to_vecalign(self) -> str:
        return f"[{','.join(map(str, self.src_ids))}]:[{','.join(map(str, self.tgt_ids))}]"


@dataclass(frozen=True)
class Flag:
    """Evidence from one check on one link.

    `src_spans` / `tgt_spans` are character offsets into the link's joined source / target text
    (sentences joined by a single space), so views can highlight them.
    """

    check: str
    message: str
    severity: float = 0.5
    src_spans: tuple[tuple[int, int], ...] = ()
    tgt_spans: tuple[tuple[int, int], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["src_spans"] = [list(s) for s in self.src_spans]
        d["tgt_spans"] = [list(s) for s in self.tgt_spans]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Flag:
        return cls(
            check=str(d["check"]),
            message=str(d.get("message", "")),
            severity=float(d.get("severity", 0.5)),
            src_spans=tuple(tuple(s) for s in d.get("src_spans", ())),  # type: ignore[misc]
            tgt_spans=tuple(tuple(s) for s in d.get("tgt_spans", ())),  # type: ignore[misc]
        )


def join_texts(doc: Document, ids: Iterable[int]) -> str:
    """The text of a link side: its sentences joined by one space."""
    return " ".join(doc.sentences[i].text for i in ids)


def links_to_frame(links: Sequence[Link], src: Document, tgt: Document) -> pd.DataFrame:
    """The alignment table: one row per link, in order."""
    import pandas as pd

    rows = [
        {
            "link": k,
            "src_ids": list(link.src_ids),
            "tgt_ids": list(link.tgt_ids),
            "src_text": join_texts(src, link.src_ids),
            "tgt_text": join_texts(tgt, link.tgt_ids),
            "similarity": float(link.similarity),
            "confidence": float(link.confidence),
        }
        for k, link in enumerate(links)
    ]
    return pd.DataFrame(rows, columns=LINK_COLUMNS)


def parse_ids(value: Any) -> list[int]:
    """Ids as stored in any format: a list, a numpy array, '[1, 2]', '1 2' or '1,2'."""
    if value is None:
        return []
    if isinstance(value, str):
        s = value.strip().strip("[]").replace(",", " ")
        return [int(x) for x in s.split()]
    try:
        return [int(x) for x in value]
    except TypeError:
        return [int(value)]


def flags_to_json(flags: Sequence[Flag]) -> str:
    return json.dumps([f.to_dict() for f in flags], ensure_ascii=False)


def flags_from_json(text: str | Sequence[Any] | None) -> list[Flag]:
    if text is None or (isinstance(text, float)):
        return []
    data = json.loads(text) if isinstance(text, str) else list(text)
    return [f if isinstance(f, Flag) else Flag.from_dict(f) for f in data]
