"""The curated corpus: the answer record, its file formats, importing and exporting."""
