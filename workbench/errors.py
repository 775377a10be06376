"""Errors written for users: one kind per kind of bad input. The library raises them,
the CLI maps them to one line on stderr and a non-zero exit, the app shows them in the page."""

from __future__ import annotations


class WorkbenchError(Exception):
    """Base class: the message is a complete sentence meant for the user."""

    exit_code = 1


class InputFileError(WorkbenchError):
    """A file that cannot be read as text: missing, a directory, empty, binary, undecodable."""

    exit_code = 2


class UnknownLanguageError(WorkbenchError):
    exit_code = 2


class UnknownBackendError(WorkbenchError):
    """An encoder, exporter, check or format name that is not registered."""

    exit_code = 2


class FormatError(WorkbenchError):
    """A structured file (gold alignment, glossary, config, manifest) that does not parse."""

    exit_code = 2


class OutputError(WorkbenchError):
    """An output path that cannot be written."""

    exit_code = 3


class EncoderError(WorkbenchError):
    """The encoder could not be loaded or failed while encoding."""

    exit_code = 4


class PairsFailedError(WorkbenchError):
    """A batch ran to the end but some pairs failed (each is recorded in the corpus table)."""

    exit_code = 5


class ClusterError(WorkbenchError):
    """The Dask cluster cannot be reached or its workers cannot run the batch."""

    exit_code = 6
