"""Sentence encoders behind one interface, a registry of backends and a persistent cache."""

from workbench.encoders.base import Encoder, encoder_registry, load_encoder

__all__ = ["Encoder", "encoder_registry", "load_encoder"]
