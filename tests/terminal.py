"""A real terminal for the end-to-end tests: a command in tmux, its screen, its keys."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMPANION = f"{shlex.quote(sys.executable)} -m companion"
HAVE_TMUX = shutil.which("tmux") is not None
#: Pause after Escape so the next key is not taken as Alt+key by the terminal parser.
ESCAPE_GAP_S = 0.3


class Terminal:
    """One tmux session, on a tmux server of its own (parallel tests never meet), running a
    command; read its screen, type into it, resize or kill it."""

    timeout = 15.0
    """Seconds a wait lasts unless the call says otherwise."""

    def __init__(self, command: str, env: dict[str, str], width: int = 80, height: int = 24) -> None:
        self.name = f"companion-test-{uuid.uuid4().hex[:8]}"
        self.width, self.height = width, height
        settings = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        # Run in the test's HOME, so anything the app writes to its working folder (a report
        # saved under a typed name) lands there, never in the repository. `exec`, so the pane's
        # process is the app itself (for SIGKILL and prlimit). LINES and COLUMNS (set under
        # pytest) would override the pane's real size.
        shell = (f"cd {shlex.quote(env.get('HOME', str(ROOT)))} && exec env -u LINES -u COLUMNS "
                 f"TERM=xterm-256color {settings} {command}")
        # Keep the pane (and its last screen) when the command exits, so a test can read it; set
        # in the same tmux call, so even a command that exits at once leaves it.
        self._tmux("new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height),
                   shell, ";", "set-option", "-t", self.name, "remain-on-exit", "on", check=True)
        # Without tmux's "Pane is dead" line (tmux 3.3 and later): the line feed before it would
        # scroll the top line, the app's last words, off the screen.
        self._tmux("set-option", "-t", self.name, "remain-on-exit-format", "")
        self.socket_path = self._pane("#{socket_path}")
        self._pid = self._pane("#{pane_pid}")

    def _tmux(self, *args: str, check: bool = False) -> subprocess.CompletedProcess:
        return subprocess.run(["tmux", "-L", self.name, *args], capture_output=True, text=True,
                              check=check, timeout=10)

    def _pane(self, fmt: str) -> str:
        return self._tmux("display-message", "-p", "-t", self.name, fmt).stdout.strip()

    def screen(self, join: bool = False) -> str:
        """The pane's text now; `join` joins the lines the terminal wrapped."""
        return self._tmux("capture-pane", "-p", *(["-J"] if join else []), "-t", self.name).stdout

    def wait_for(self, pattern: str, timeout: float | None = None) -> str:
        """Poll the screen until `pattern` (a regular expression) appears; return the screen."""
        timeout = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if re.search(pattern, screen):
                return screen
            time.sleep(0.05)
        raise AssertionError(f"{pattern!r} did not appear in {timeout:.0f} s; the screen was:\n"
                             f"{screen}")

    def wait_for_text(self, text: str, timeout: float | None = None) -> str:
        """Poll the screen until `text` (plain text) appears; return the screen."""
        return self.wait_for(re.escape(text), timeout)

    def wait_gone(self, pattern: str, timeout: float | None = None) -> str:
        """Poll until `pattern` is no longer on the screen; return the screen."""
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        screen = self.screen()
        while time.monotonic() < deadline and re.search(pattern, screen):
            time.sleep(0.05)
            screen = self.screen()
        if re.search(pattern, screen):
            raise AssertionError(f"{pattern!r} stayed on the screen:\n{screen}")
        return screen

    def keys(self, *keys: str, pause: float = 0.05) -> None:
        """Send keys one at a time: tmux key names (Enter, Space, Escape, C-c) or single characters.

        After Escape it waits longer: a key arriving right after it would be read as Alt+key.
        """
        for key in keys:
            literal = ["-l"] if len(key) == 1 else []
            self._tmux("send-keys", "-t", self.name, *literal, key, check=True)
            wait = max(pause, ESCAPE_GAP_S) if key == "Escape" else pause
            if wait:
                time.sleep(wait)

    def type(self, text: str) -> None:
        """Type literal text."""
        self._tmux("send-keys", "-t", self.name, "-l", text, check=True)

    def fill(self, *values: str) -> None:
        """Type each value of a form, then Enter (to the next field; on the last it saves).

        Each value is seen on screen before its Enter, and each Enter is given a moment: the
        form moves focus when it handles Enter, and a key sent before that would land in the
        old field. An empty value is Enter alone.
        """
        for value in values:
            if value:
                self.type(value)
                self.wait_for(re.escape(value))
            self.keys("Enter")
            time.sleep(0.3)

    def resize(self, width: int, height: int) -> None:
        """Resize the window, as a person dragging the terminal's corner would."""
        self._tmux("resize-window", "-t", self.name, "-x", str(width), "-y", str(height),
                   check=True)
        self.width, self.height = width, height

    @property
    def pid(self) -> int:
        """The app's process id."""
        return int(self._pid)

    def alive(self) -> bool:
        """True while the app's process runs (not exited, not a zombie)."""
        if self._pane("#{pane_dead}") == "1":
            return False
        try:
            with open(f"/proc/{self.pid}/stat") as f:
                return f.read().split(")")[-1].split()[0] != "Z"
        except OSError:
            return False

    def wait_closed(self, timeout: float | None = None) -> bool:
        """Wait for the app to exit and tmux to show all it wrote; True if it did in time."""
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        while self._pane("#{pane_dead}") != "1":
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True

    def close(self) -> None:
        """Kill the tmux server (and the app, if it still runs)."""
        self._tmux("kill-server")
        if self.socket_path:
            Path(self.socket_path).unlink(missing_ok=True)  # tmux leaves its socket file
