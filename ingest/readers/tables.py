"""Table rows as text blocks that still read as facts when retrieved on their own."""

from collections.abc import Sequence
from itertools import zip_longest

from ingest.model import Block
from ingest.readers.cleanup import normalize_whitespace

_MAX_HEADER_CELL_WORDS = 5


def table_blocks(rows: Sequence[Sequence[str]], *, has_header: bool) -> list[Block]:
    """One table block per row, in order.

    With a header row every row is written as "header: value; header: value", so that a
    row found by search still says what its numbers mean ("Gemeente: Ravelgem; Inwoners:
    62.400"); the header row itself is not repeated as a block. Without a header the
    cells are joined with " | ". Empty cells and empty rows are left out.
    """
    cleaned = [[normalize_whitespace(cell) for cell in row] for row in rows]
    cleaned = [row for row in cleaned if any(row)]
    if has_header and len(cleaned) > 1:
        header, body = cleaned[0], cleaned[1:]
        texts = [
            "; ".join(
                f"{label}: {value}" if label else value
                for label, value in zip_longest(header, row, fillvalue="")
                if value
            )
            for row in body
        ]
    else:
        texts = [" | ".join(cell for cell in row if cell) for row in cleaned]
    return [Block(text, "table") for text in texts if text]


def looks_like_header(rows: Sequence[Sequence[str]]) -> bool:
    """Guess whether the first row labels the columns: at least two rows, and every
    first-row cell a short, distinct label that is not a number."""
    if len(rows) < 2 or not rows[0]:
        return False
    cells = [normalize_whitespace(cell) for cell in rows[0]]
    return len(set(cells)) == len(cells) and all(
        cell and len(cell.split()) <= _MAX_HEADER_CELL_WORDS and any(char.isalpha() for char in cell)
        for cell in cells
    )
