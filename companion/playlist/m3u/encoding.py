"""Reading an M3U file's bytes as text: UTF-8, UTF-16/32 with or without a BOM, or the Windows
code page its bytes read as (Latin-1 or Cyrillic)."""

from __future__ import annotations

import re

from companion.playlist.m3u.model import Note

# Letters that make up most Russian (and other Cyrillic) text, as Windows-1251 writes them.
_COMMON_CYRILLIC = set("оеаинтсрвлкмдпуяыьгзбОЕАИНТСРВЛКМДПУЯ")


def _looks_cyrillic(data: bytes) -> bool:
    """True when the non-ASCII bytes read as Windows-1251 words rather than Latin-1 accents."""
    text = data.decode("cp1251", "replace")
    cyrillic = [ch for ch in text if "\u0400" <= ch <= "\u04ff"]
    if not cyrillic:
        return False
    common = sum(ch in _COMMON_CYRILLIC for ch in cyrillic) / len(cyrillic)
    return common >= 0.5


def decode(data: bytes) -> tuple[str, str, list[Note]]:
    """The text of an M3U file, the encoding used, and notes on bytes that were not text."""
    notes: list[Note] = []
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        encoding, text = "UTF-32", data.decode("utf-32", "replace")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding, text = "UTF-16", data.decode("utf-16", "replace")
    elif data.startswith(b"\xef\xbb\xbf"):
        encoding, text = "UTF-8", data[3:].decode("utf-8", "replace")
    elif len(data) >= 4 and data[1::2].count(0) > len(data) // 4 and not data[0::2].count(0):
        encoding, text = "UTF-16 (no BOM)", data.decode("utf-16-le", "replace")
    elif len(data) >= 4 and data[0::2].count(0) > len(data) // 4 and not data[1::2].count(0):
        encoding, text = "UTF-16 (no BOM)", data.decode("utf-16-be", "replace")
    else:
        try:
            return data.decode("utf-8"), "UTF-8", notes
        except UnicodeDecodeError as error:
            first_bad = len(split_lines(data[: error.start].decode("latin-1")))
            if _looks_cyrillic(data):
                encoding, codec = "Windows-1251 (Cyrillic)", "cp1251"
            else:
                encoding, codec = "Windows-1252 (Latin-1)", "cp1252"
            notes.append(Note(first_bad, f"not UTF-8 (byte 0x{data[error.start]:02X}); read "
                              f"the file as {encoding}"))
            text = data.decode(codec, "replace")
    for number, line in enumerate(split_lines(text), start=1):
        if "\ufffd" in line:
            notes.append(Note(number, f"bytes that are not {encoding} text were replaced "
                              "by �"))
    return text, encoding, notes


def split_lines(text: str) -> list[str]:
    return re.split(r"\r\n|\r|\n", text)
