"""The record survives SIGKILL at random moments, and a real file-size limit loses nothing."""

from __future__ import annotations

import json
import os
import random
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

from companion.record import SessionRecord, read_events
from tests.record._writer import note_text

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
KILLS = 60


class Writers:
    """The forking server of `_writer.py`: one writer process per request, killed by us."""

    def __init__(self) -> None:
        self.server = subprocess.Popen(
            [sys.executable, str(HERE / "_writer.py")], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, text=True, cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)})

    def start(self, directory: Path, fifo: Path) -> int:
        assert self.server.stdin is not None and self.server.stdout is not None
        self.server.stdin.write(f"{directory}\t{fifo}\n")
        self.server.stdin.flush()
        return int(self.server.stdout.readline())

    def close(self) -> None:
        assert self.server.stdin is not None
        self.server.stdin.close()
        self.server.wait(timeout=10)


def read_acks(fd: int, until_first: bool, timeout: float = 10.0) -> tuple[bytes, bool]:
    """Read acknowledgements: until the first arrives, or (after a kill) until EOF.

    The reader is non-blocking: no data yet raises BlockingIOError; b"" means no writer
    holds the FIFO open (the writer is dead, or never opened it).
    """
    data = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            chunk = os.read(fd, 65536)
        except BlockingIOError:
            select.select([fd], [], [], 0.005)
            continue
        data += chunk
        if until_first and b"\n" in data:
            return data, True
        if not chunk:
            if not until_first:
                return data, True
            time.sleep(0.001)  # the writer has not opened its end yet
    return data, False


def acknowledged(output: bytes) -> list[int]:
    """Numbers written in full (a number cut off by the kill was never acknowledged)."""
    return [int(line) for line in output[: output.rfind(b"\n") + 1].split()]


def test_session_log_survives_sigkill_at_random_moments(tmp_path: Path) -> None:
    rng = random.Random(20261125)
    writers = Writers()
    outcomes = []
    try:
        for kill in range(KILLS):
            directory, fifo = tmp_path / f"k{kill}", tmp_path / f"acks{kill}"
            os.mkfifo(fifo)
            reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
            pid = writers.start(directory, fifo)
            output = b""
            # Most kills land amid appends; some before the first event is written.
            if rng.random() < 0.9:
                output, ok = read_acks(reader, until_first=True)
                assert ok, "the writer never acknowledged an event"
                time.sleep(rng.uniform(0, 0.02))
            os.kill(pid, signal.SIGKILL)
            rest, ok = read_acks(reader, until_first=False)
            assert ok, "the killed writer's pipe never closed"
            os.close(reader)
            outcomes.append((directory, acknowledged(output + rest)))
    finally:
        writers.close()

    torn = 0
    for directory, acked in outcomes:
        files = list(directory.glob("*.jsonl")) if directory.exists() else []
        if not files:
            assert not acked
            continue
        (path,) = files
        result = read_events(path)
        torn += result.torn_tail is not None
        notes = [e for e in result.events if e.type == "note"]
        if acked:
            assert result.events[0].type == "session_started"
            assert acked == list(range(len(acked)))
        # Every acknowledged event is there, intact and in order; at most one more
        # (written, but killed before it was acknowledged) may follow.
        assert len(acked) <= len(notes) <= len(acked) + 1
        for number, note in enumerate(notes):
            assert note.get("seq") == number
            assert note.get("text") == note_text(number)
        if result.events:
            resumed = SessionRecord.resume(path)
            resumed.append("note", tag="other", text="after the crash")
            resumed.end()
            again = read_events(path)
            assert again.torn_tail is None
            assert [e.type for e in again.events[-3:]] == ["session_resumed", "note",
                                                            "session_ended"]
            assert again.events[: len(result.events)] == result.events
    print(f"{KILLS} kills, {torn} torn last lines, acknowledged per writer: "
          f"{[len(a) for _, a in outcomes]}")
    assert len(outcomes) == KILLS
    assert sum(1 for _, acked in outcomes if len(acked) > 1) >= 40


def test_full_disk_keeps_events_in_memory_and_writes_them_in_order_later(
        tmp_path: Path) -> None:
    """A real write failure: RLIMIT_FSIZE in a child makes write() fail with EFBIG."""
    done = subprocess.run([sys.executable, str(HERE / "_fsize_writer.py"), str(tmp_path)],
                          capture_output=True, text=True, cwd=ROOT, timeout=30,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    # While the limit held: every append returned, the file held only whole lines.
    assert report["returned"] == 30
    assert report["size_during"] <= report["limit"]
    # The limit fell inside a line: the kernel wrote part of it, which had to be cut off.
    assert report["size_during"] < report["limit"]
    assert not report["torn_during"]
    assert 1 < report["events_during"] < 31
    assert report["retry_while_full"] is False
    assert report["unwritten_while_full"] > 1
    # The screen heard of it: a failing status, then ok again once the limit went.
    statuses = report["statuses"]
    assert statuses[0]["ok"] is False and "too large" in statuses[0]["error"].lower()
    assert statuses[-1] == {"ok": True, "unwritten": 0, "error": None}
    assert report["retry_after"] is True
    assert "write_error" in report["told"] and "write_recovered" in report["told"]

    result = read_events(Path(report["path"]))
    assert result.torn_tail is None
    types = [e.type for e in result.events]
    seqs = [e.get("seq") for e in result.events if e.type == "note"]
    assert seqs == list(range(30))
    assert types[0] == "session_started" and types[-1] == "session_ended"
    assert types.count("write_error") == 1 and types.count("write_recovered") == 1
    elapsed = [e.elapsed for e in result.events]
    assert elapsed == sorted(elapsed)
    error = result.events[types.index("write_error")]
    assert error.get("errno") == "EFBIG"
    # The write_error line sits right after the event whose write first failed.
    assert types.index("write_error") == report["events_during"] + 1
    recovered = result.events[types.index("write_recovered")]
    assert recovered.get("written") == 31 - (report["events_during"] - 1)
