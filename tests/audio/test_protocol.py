"""The engine protocol: every message crosses the pipe, every command is dispatched, every port fits."""

from __future__ import annotations

import pickle
import typing

import pytest

from companion.audio import protocol
from companion.audio.client import AudioEngine
from companion.audio.engine import Engine
from companion.audio.port import EnginePort
from companion.audio.protocol import (Bls, BlsSpeed, BlsStop, Close, Cue, EngineOptions, Pause,
                                      Ping, Play, Position, Problem, Queue, Resume, SetCeiling,
                                      SetVolume, SlotPosition, SourceSpec, Stop, Suspend, Unsuspend,
                                      WithdrawCues)
from tests.ui.fakes import FakeEngine

SOURCE = SourceSpec(builtin="ocean", seconds=2.0)
COMMANDS = [Play("p1", SOURCE, at=1.0), Queue("p2", SOURCE, overlap=3.0), Cue("c1", SOURCE),
            WithdrawCues(), Stop("music", 2.0), Suspend(), Unsuspend(), SetVolume(50.0),
            SetCeiling(80.0), Pause(), Resume(), Bls("b1", passes=4), BlsSpeed("b1", 1.5),
            BlsStop("b1"), Ping(3.0), Close(0.5)]


def test_the_command_list_covers_every_command_type():
    assert {type(c) for c in COMMANDS} == set(typing.get_args(protocol.Command))


@pytest.mark.parametrize("message", COMMANDS + [
    Position({"music": SlotPosition("p1", 12.5)}, 48000, False), Problem("render: boom")],
    ids=lambda m: type(m).__name__)
def test_messages_cross_the_pipe_unchanged(message):
    assert pickle.loads(pickle.dumps(message)) == message


def test_the_engine_dispatches_every_command_type():
    """Each command lands in the reader's queue, the callback's operations or an event."""
    engine = Engine(None, "none", EngineOptions())
    for command in COMMANDS:
        engine.command(command)
    assert not [e for e in engine.events if isinstance(e, Problem)]
    engine.command("volume")  # what the engine's protocol used to be
    assert isinstance(engine.events[-1], Problem)


def test_the_real_engine_and_the_fake_fit_the_engine_port():
    members = [name for name in dir(EnginePort) if not name.startswith("_")]
    for engine_type in (AudioEngine, FakeEngine):
        missing = [name for name in members if not hasattr(engine_type, name)]
        assert not missing, (engine_type.__name__, missing)


def test_the_fake_keeps_the_commands_the_methods_build():
    engine = FakeEngine()
    play_id = engine.play(builtin="ocean", seconds=2.0, at=1.0)
    engine.set_volume(40, ramp_s=0.1)
    assert engine.sent == [Play(play_id, SOURCE, at=1.0), SetVolume(40, 0.1)]
    assert engine.kinds() == ["play", "set_volume"]
    [started] = engine.poll_events()
    assert (started.id, started.seconds) == (play_id, 2.0)
