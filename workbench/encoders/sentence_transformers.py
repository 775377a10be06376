"""Any sentence-transformers model, by hub name (offline cache) or local path: `st:<name-or-path>`."""

from __future__ import annotations

import contextlib
import logging
import os
import warnings
from collections.abc import Iterator

import numpy as np

from workbench.encoders.base import Encoder, encoder_registry
from workbench.errors import EncoderError

# the libraries that log or warn while a model loads, e.g. "Could not resolve the revision of ..."
_NOISY_LOGGERS = ("sentence_transformers", "transformers", "huggingface_hub", "torch")


@contextlib.contextmanager
def _quiet_libraries() -> Iterator[None]:
    """Mute the libraries' logging and warnings: a failed load must end in our one error line alone."""
    loggers = [logging.getLogger(name) for name in _NOISY_LOGGERS]
    levels = [lg.level for lg in loggers]
    try:
        for lg in loggers:
            lg.setLevel(logging.CRITICAL + 1)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


@encoder_registry.register("st:")
class SentenceTransformerEncoder(Encoder):
    def __init__(self, name_or_path: str, batch_size: int = 32) -> None:
        if not name_or_path:
            raise EncoderError("encoder 'st:' needs a model name or path, e.g. st:sentence-transformers/LaBSE")
        self.name_or_path = name_or_path
        self.batch_size = batch_size
        self.id = f"st:{os.path.abspath(name_or_path) if os.path.exists(name_or_path) else name_or_path}"
        self._model = None
        self.dim = 0

    def _load(self):
        if self._model is None:
            # never reach for the network: models must already be on disk
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            try:
                # imported first: importing sets transformers' log level, which would undo the muting
                from sentence_transformers import SentenceTransformer

                with _quiet_libraries():
                    self._model = SentenceTransformer(self.name_or_path, device="cpu")
            except Exception as exc:  # noqa: BLE001 - any load failure is one user-facing error
                raise EncoderError(f"cannot load sentence-transformers model {self.name_or_path!r}: "
                                   f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from exc
            # renamed in sentence-transformers 6; older releases only have the long name
            get_dim = getattr(self._model, "get_embedding_dimension", None) or \
                self._model.get_sentence_embedding_dimension
            self.dim = int(get_dim() or 0)
        return self._model

    def encode(self, texts):  # dim is only known once the model is loaded
        self._load()
        return super().encode(texts)

    def _encode(self, texts: list[str]) -> np.ndarray:
        return self._load().encode(texts, batch_size=self.batch_size, convert_to_numpy=True,
                                   normalize_embeddings=True, show_progress_bar=False)
