"""Draft a new source's transcription from its text: every figure with a proposed metric, for a person to review.

The flow: source.py finds the document in data/raw/sources.csv and reads its text; document.py splits
the text into passages under their section headings; figures.py finds the numbers a passage states
(leaving out page numbers, dates, phone numbers and list numbering); dating.py reads the period each
refers to; matching.py proposes a metric; draftfile.py writes the draft and reads it back; review.py
writes the review page; accept.py moves the reviewed rows into data/raw/<source_id>.csv.
"""
