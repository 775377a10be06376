"""Reading text files and segmenting them into sentences and paragraphs."""

from workbench.text.languages import check_language
from workbench.text.reader import decode_bytes, read_text
from workbench.text.segment import document_from_text, read_document, segment_paragraph, split_paragraphs

__all__ = ["check_language", "decode_bytes", "read_text", "document_from_text", "read_document",
           "segment_paragraph", "split_paragraphs"]
