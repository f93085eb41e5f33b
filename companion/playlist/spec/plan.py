"""The format of the plan in the room: schedule, ranges, scales, observation, harbour, landing."""

from __future__ import annotations

from companion.playlist.spec.kinds import (PERCENT, SECONDS_OF_FADE, Dictionary, Flag, Key, List,
                                           Mapping, Number, Text)
from companion.playlist.spec.vocabulary import (MAX_PLAN_MINUTES, NAME_PATTERN, VALUE_NAMES,
                                                VITAL_READINGS)


def plan_keys(track: Mapping, cue: Mapping) -> tuple[Key, ...]:
    """The plan in the room: schedule, ranges, scales, observation, harbour, landing, prompts."""
    minutes = Number(minimum=0, maximum=MAX_PLAN_MINUTES, unit="minutes")
    scale = Mapping(
        "scale", "a scale",
        doc="A score the clinician names, such as a sedation scale (MOAA/S, 0-5) or a "
            "dissociation scale (CADSS), with the lowest and highest score.",
        keys=(
            Key("title", Text(), "The name the sitter sees (default: the name)."),
            Key("min", Number(minimum=-1000, maximum=1000), "The lowest score.",
                required=True),
            Key("max", Number(minimum=-1000, maximum=1000), "The highest score.",
                required=True),
            Key("words", Text(allow_empty=True), "How to score it, shown beside the field.",
                default=""),
        ),
    )
    value_range = Mapping(
        "range", "a range",
        doc="The clinician's range for one value: values outside it are marked in the "
            "record and the report, never alarmed.",
        any_of=("low", "high"),
        keys=(
            Key("low", Number(minimum=-1000, maximum=1000), "Values below this are marked "
                "low."),
            Key("high", Number(minimum=-1000, maximum=1000), "Values above this are marked "
                "high."),
        ),
    )
    item = Mapping(
        "plan_item", "a schedule item",
        doc="One vitals check or check-in, timed from the dose mark (or, before the dose, "
            "from the session start).",
        one_of=("at", "after_start", "before_dose", "before_leaving"),
        also_one_of=("vitals", "check_in"),
        keys=(
            Key("at", Number(minimum=0, maximum=MAX_PLAN_MINUTES, unit="minutes",
                             hint=" (a check before the dose is written `before_dose: true` "
                                  "or `after_start: MINUTES`)"),
                "Minutes after the dose mark when it falls due."),
            Key("after_start", minutes, "Minutes after the session start when it falls due "
                "(for checks before the dose)."),
            Key("before_dose", Flag(only_true=True), "`true`: due as soon as the session "
                "starts, before the dose (the same as `after_start: 0`)."),
            Key("before_leaving", Flag(only_true=True), "`true`: due at the end of the "
                "minimum observation time, or when the sitter marks the client ready to "
                "leave, whichever comes first."),
            Key("vitals", List(Text(), min_items=1), "The readings to take: "
                + ", ".join(VITAL_READINGS) + ", or a scale named under `scales`."),
            Key("check_in", Text(), "A check-in: the words for the sitter."),
            Key("title", Text(), "What the reminder says (default: Vitals or Check-in)."),
            Key("words", Text(allow_empty=True), "What the sitter says before taking the "
                "readings (vitals only).", default=""),
            Key("phase", Text(), "The phase it belongs to (a phase's name)."),
            Key("cue", cue, "A soft cue sound when it falls due (without one, reminders "
                "are silent)."),
        ),
    )
    harbour = Mapping(
        "harbour", "the safe harbour",
        doc="What the safe harbour key does: the music fades to the harbour track at the "
            "harbour level and grounding opens with these words on top.",
        keys=(
            Key("track", track, "The harbour track (default: playback.holding; without "
                "either, the music itself fades to the harbour level)."),
            Key("fade", SECONDS_OF_FADE, "Seconds over which the music fades to the harbour "
                "and back.", default=8),
            Key("level", PERCENT, "The harbour's volume, in percent (default: "
                "playback.volume)."),
            Key("words", Text(allow_empty=True), "The sitter's first words, shown on top "
                "of grounding.", default=""),
        ),
    )
    landing = Mapping(
        "landing", "the landing",
        doc="How the music ends: when the last phase ends or the sitter ends the session, "
            "it fades over `fade` seconds, then `after` plays (or silence).",
        keys=(
            Key("fade", Number(minimum=0, maximum=600, unit="seconds"), "Seconds of the "
                "last fade.", default=20),
            Key("after", track, "What plays after the fade (leave it out for silence)."),
        ),
    )
    return (
        Key("schedule", List(item), "Vitals checks and check-ins, timed from the dose "
            "mark.", default=()),
        Key("scales", Dictionary(scale, NAME_PATTERN, "lower-case letters, digits and "
                                 "dashes, like moaa-s"),
            "Scores the clinician names (sedation, dissociation...), by short name."),
        Key("ranges", Dictionary(value_range, NAME_PATTERN, "a value name such as "
                                 "systolic, diastolic, hr, spo2, rr, temp or a scale's name"),
            "The clinician's ranges by value (" + ", ".join(VALUE_NAMES) + " in °C, or a "
            "scale's name); none is built in."),
        Key("min_observation_minutes", Number(minimum=0, maximum=MAX_PLAN_MINUTES,
                                              exclusive_minimum=True, unit="minutes"),
            "The least time from the dose before the client may leave; ending earlier asks "
            "and records the reason."),
        Key("put_off_minutes", Number(minimum=0, maximum=120, exclusive_minimum=True,
                                      unit="minutes"),
            "How long a reminder put off with Esc waits before it is due again.", default=5),
        Key("overdue_after_minutes", Number(minimum=0, maximum=120, unit="minutes"),
            "Minutes after its time when a reminder not yet done shows as overdue (a check "
            "before the dose: once the dose is marked).",
            default=5),
        Key("harbour", harbour, "The safe harbour: track, fade, level and words."),
        Key("landing", landing, "The soft landing at the end: fade seconds and what "
            "follows."),
        Key("integration_prompts", List(Text()), "Questions for the integration session, "
            "printed in the report.", default=()),
    )
