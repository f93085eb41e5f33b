"""M3U/M3U8 import: the playlists real music players write, turned into a Companion playlist.

Reads `#EXTM3U`, `#EXTINF` titles and lengths, `#PLAYLIST` names; relative, absolute and
Windows paths; `file://` URIs (percent-decoded); UTF-8 with or without a BOM, UTF-16,
CRLF and bare CR line ends, and files in Latin-1/Windows-1252 or Windows-1251 (told
apart by how their bytes read). Web addresses and HLS stream lists are reported and left
out, as are formats Companion cannot play; missing files are kept and reported.
"""

from typing import TYPE_CHECKING

from companion.lazy import exports

if TYPE_CHECKING:  # names for type checkers and editors; at run time, exports() loads them
    from companion.playlist.m3u.encoding import decode
    from companion.playlist.m3u.model import M3U, Entry, Note
    from companion.playlist.m3u.reader import read_m3u
    from companion.playlist.m3u.writer import to_yaml

__getattr__, __all__ = exports(__name__, {
    "encoding": ("decode",),
    "model": ("M3U", "Entry", "Note"),
    "reader": ("read_m3u",),
    "writer": ("to_yaml",),
})
