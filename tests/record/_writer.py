"""A child process for the durability test: forks writers that append events forever.

Usage: python _writer.py. Reads `DIRECTORY<TAB>FIFO` lines on stdin; for each, forks a
writer (cheap: the record is imported once, here) and prints its pid. The writer starts
a session in DIRECTORY and, after each `append()` returns, writes the event's number to
FIFO: every number the test reads back is an acknowledged event. The test kills writers
with SIGKILL; this process reaps them and exits when its stdin closes.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from companion.record import SessionRecord


def note_text(number: int) -> str:
    """The text of note `number`: its number and a length that varies, to tear lines anywhere."""
    return f"event {number} " + "é-x" * (number * 37 % 120)


def write_forever(directory: Path, fifo: str) -> None:
    """Append numbered notes, acknowledging each one on `fifo` after append returns."""
    acks = os.open(fifo, os.O_WRONLY)
    record = SessionRecord.start(directory, playlist_name="Durability",
                                 playlist_hash="0" * 64, client_code="D1")
    number = 0
    while True:
        record.append("note", tag="other", text=note_text(number), seq=number)
        os.write(acks, f"{number}\n".encode())
        number += 1


def serve() -> None:
    """Fork one writer per request line; killed writers are reaped by the kernel."""
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    for line in sys.stdin:
        directory, fifo = line.rstrip("\n").split("\t")
        pid = os.fork()
        if pid == 0:
            try:
                write_forever(Path(directory), fifo)
            finally:
                os._exit(1)
        print(pid, flush=True)


if __name__ == "__main__":
    serve()
