"""The plan in the room as it runs: which vitals checks and check-ins are due, on an injected clock.

`PlanTracker` keeps no timers: every state is computed from the dose mark and the session
clock when asked, so nothing drifts, and a tracker rebuilt from the record's events after a
crash knows what was done, put off and skipped. It reports through `on_event(type, fields)`
with the record's event names (`companion.record.events`); the session controller writes
them. It gives no clinical advice: times, readings, ranges and words all come from the plan.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from companion.errors import CompanionError
from companion.playlist import spec
from companion.playlist.model import Plan, PlanItem, due_elapsed
from companion.record import events as ev
from companion.record.events import Event, EventSink
from companion.wording import counted

if TYPE_CHECKING:
    from companion.record.vitals import VitalsRanges

ItemState = Literal["upcoming", "due", "overdue", "put_off", "done", "skipped"]

NOTE_VALUE_NAMES = {"systolic": "systolic", "diastolic": "diastolic", "heart_rate": "hr",
                    "spo2": "spo2", "resp_rate": "rr", "temperature": "temp",
                    "hr": "hr", "rr": "rr", "temp": "temp"}
"""A note's stored vitals (`record.vitals`; older records used the long names) -> the plan's
value names (notes now store these names too)."""


class PlanError(CompanionError):
    """An action the plan cannot take (an unknown item, a value that is not a number...)."""


@dataclass(frozen=True)
class FormField:
    """One field of the vitals form: what to ask, its unit, bounds, range and last value."""

    name: str
    """The value's name in `done(item, values)`: systolic, diastolic, hr, spo2, rr, temp, or
    a scale's name."""
    label: str
    unit: str = ""
    minimum: float | None = None
    """A scale's lowest score (None for vital signs: no built-in bounds)."""
    maximum: float | None = None
    low: float | None = None
    """The clinician's range (values outside are marked, never refused)."""
    high: float | None = None
    last: float | None = None
    """The last value recorded this session (from a vitals check or a note)."""
    last_elapsed: float | None = None
    words: str = ""


@dataclass(frozen=True)
class ItemStatus:
    """Where one planned item stands at `now` (elapsed session seconds)."""

    item: PlanItem
    state: ItemState
    now: float
    due_at: float | None
    """Elapsed seconds when it falls due; None while it waits for the dose (or for leaving)."""
    put_off_until: float | None = None
    missed: bool = False
    """It fell due while the app was down (shown overdue at once)."""
    done_at: float | None = None
    values: Mapping[str, Any] = field(default_factory=dict)
    marks: Mapping[str, str] = field(default_factory=dict)
    reason: str = ""

    @property
    def late(self) -> float:
        """Seconds past its time (0 before it)."""
        if self.due_at is None:
            return 0.0
        end = self.done_at if self.done_at is not None else self.now
        return max(0.0, end - self.due_at)

    @property
    def wait(self) -> float | None:
        """Seconds until it is due (again, when put off); None when not waiting on the clock."""
        if self.state == "put_off" and self.put_off_until is not None:
            return self.put_off_until - self.now
        if self.state == "upcoming" and self.due_at is not None:
            return self.due_at - self.now
        return None

    @property
    def open(self) -> bool:
        """True until it is done or skipped."""
        return self.state not in ("done", "skipped")

    def summary(self) -> str:
        """What the screen says: "Vitals in 4 min", "Vitals due", "Vitals overdue, 7 min late"."""
        title = self.item.title
        if self.state == "upcoming":
            if self.wait is None:
                return f"{title} {_waiting(self.item)}"
            return f"{title} in {minutes_text(self.wait)}"
        if self.state == "put_off":
            return f"{title} put off, due again in {minutes_text(self.wait or 0)}"
        if self.state == "due":
            return f"{title} due"
        if self.state == "overdue" and self.item.anchor == "start" and not self.missed:
            # Overdue because the dose is now marked: minutes since the session began
            # would not be "late" for anything.
            return f"{title} overdue (the dose is marked)"
        if self.state == "overdue":
            return f"{title} overdue, {minutes_text(self.late)} late"
        if self.state == "done":
            return f"{title} done"
        return f"{title} skipped" + (f": {self.reason}" if self.reason else "")


def _waiting(item: PlanItem) -> str:
    if item.anchor == "dose":
        return f"{minutes_text(item.minutes * 60)} after the dose"
    return "before leaving"


def checks_due_text(count: int) -> str:
    """What "ready to leave" adds when checks are still due: " 1 check before leaving is
    due." (with its leading space), " 2 checks ... are due.", '' for none."""
    if not count:
        return ""
    verb = "is" if count == 1 else "are"
    return f" {counted(count, 'check')} before leaving {verb} due."


def minutes_text(seconds: float) -> str:
    """Seconds said calmly: "less than a minute", "1 min", "12 min", "1 h 5 min"."""
    whole = math.ceil(max(0.0, seconds) / 60 - 1e-9)
    if seconds < 60:
        return "less than a minute" if seconds > 0 else "0 min"
    hours, minutes = divmod(whole, 60)
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{minutes} min"


def note_ranges(plan: Plan) -> VitalsRanges | None:
    """The plan's ranges as `record.vitals.VitalsRanges` (for notes), or None when it has none."""
    from companion.record.vitals import VitalsRanges

    names = {"systolic": "systolic", "diastolic": "diastolic", "hr": "heart_rate",
             "spo2": "spo2", "rr": "resp_rate", "temp": "temperature_c"}
    ranges = {names[name]: (-math.inf if r.low is None else r.low,
                            math.inf if r.high is None else r.high)
              for name, r in plan.ranges.items() if name in names}
    return VitalsRanges(**ranges) if ranges else None


@dataclass
class _Done:
    at: float
    values: dict[str, Any] = field(default_factory=dict)
    marks: dict[str, str] = field(default_factory=dict)
    skipped: bool = False
    reason: str = ""


class PlanTracker:
    """The schedule's state from the dose mark and the clock; actions become record events.

    `elapsed` returns elapsed session seconds (`record.clock.elapsed`); `dose_elapsed` is
    the dose mark's elapsed seconds (None before it; taken from `history` when not given).
    `history` is the record's events so far: on a resumed session, items done stay done and
    items that fell due while the app was down show overdue. Without a `plan_loaded` event
    in `history` (or when the plan differs from the last one), the tracker reports one at
    once. Use it from one thread (the UI's); `on_event` is called on that thread.
    """

    def __init__(self, plan: Plan, dose_elapsed: float | None, elapsed: Callable[[], float],
                 history: Iterable[Event] = (), on_event: EventSink | None = None) -> None:
        self.plan = plan
        self._elapsed = elapsed
        self._on_event = on_event
        self._items = {item.id: item for item in plan.schedule}
        self._dose = dose_elapsed
        self._ready: float | None = None
        self._announced: dict[str, float] = {}  # item -> the due moment it was announced for
        self._put_off: dict[str, float] = {}
        self._finished: dict[str, _Done] = {}
        self._missed: set[str] = set()
        self._last: dict[str, tuple[float, float]] = {}  # value name -> (value, elapsed)
        self._harbour_since: float | None = None
        self._overrides = 0
        events = list(history)
        self._replay(events, dose_known=dose_elapsed is not None)
        loaded = [e for e in events if e.type == ev.PLAN_LOADED]
        event = ev.plan_loaded(plan)
        if not loaded or dict(loaded[-1].fields) != event.fields:
            self._emit(event)  # also when a resumed playlist's plan changed

    # -- rebuilding from the record ---------------------------------------------------------

    def rebuild(self, history: Iterable[Event]) -> None:
        """Forget everything and replay `history` (the record's events in force, after a
        correction: a struck or moved dose mark, a struck check or ready-to-leave)."""
        self._dose = self._ready = self._harbour_since = None
        for table in (self._announced, self._put_off, self._finished, self._last):
            table.clear()
        self._missed.clear()
        self._overrides = 0
        self._replay(list(history), dose_known=False)

    def _replay(self, events: list[Event], dose_known: bool) -> None:
        resumed_at: float | None = None
        for event in events:
            f, kind, item = event.fields, event.type, event.get("item")
            if kind == ev.DOSE_MARKED and not dose_known:
                self._dose = event.elapsed
            elif kind == ev.REMINDER_DUE and item in self._items:
                # Announced at this moment: due again only after a later put-off.
                self._announced[item] = event.elapsed
            elif kind == ev.REMINDER_PUT_OFF and item in self._items:
                self._put_off[item] = float(f.get("until", event.elapsed))
            elif kind in (ev.VITALS_DONE, ev.CHECKIN_DONE):
                values = f.get("values") if isinstance(f.get("values"), dict) else {}
                if item in self._items:
                    self._finished[item] = _Done(event.elapsed, dict(values),
                                                 dict(f.get("marks") or {}))
                self._remember(values, event.elapsed)
            elif kind == ev.NOTE and isinstance(f.get("vitals"), dict):
                self._remember({NOTE_VALUE_NAMES[k]: v for k, v in f["vitals"].items()
                                if k in NOTE_VALUE_NAMES}, event.elapsed)
            elif kind == ev.REMINDER_SKIPPED and item in self._items:
                self._finished[item] = _Done(event.elapsed, skipped=True,
                                             reason=str(f.get("reason") or ""))
            elif kind == ev.READY_TO_LEAVE:
                self._ready = event.elapsed
            elif kind == ev.OBSERVATION_OVERRIDE:
                self._overrides += 1
            elif kind == ev.HARBOUR_STARTED:
                self._harbour_since = event.elapsed
            elif kind == ev.HARBOUR_STOPPED:
                self._harbour_since = None
            elif kind == ev.SESSION_RESUMED:
                resumed_at = event.elapsed
                self._harbour_since = None  # the music starts afresh after a crash
        if resumed_at is None:
            return
        for item in self._items.values():
            moment = self._moment(item)
            if (item.id not in self._finished and moment is not None and moment <= resumed_at
                    and self._announced.get(item.id, -math.inf) < moment):
                self._missed.add(item.id)

    def _remember(self, values: Mapping[str, Any], elapsed: float) -> None:
        for name, value in values.items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                self._last[name] = (value, elapsed)

    # -- time ------------------------------------------------------------------------------

    @property
    def dose_elapsed(self) -> float | None:
        """Elapsed seconds of the dose mark, or None before it."""
        return self._dose

    @property
    def ready_elapsed(self) -> float | None:
        """Elapsed seconds when the client was marked ready to leave, or None."""
        return self._ready

    def now(self) -> float:
        """Elapsed session seconds now."""
        return self._elapsed()

    def mark_dose(self, elapsed: float | None = None) -> None:
        """The dose was marked (now, or at `elapsed`): dose-timed items count from here."""
        self._dose = self.now() if elapsed is None else elapsed

    def due_at(self, item: PlanItem) -> float | None:
        """Elapsed seconds when `item` falls due (None while it waits for the dose)."""
        return due_elapsed(item.anchor, item.minutes, dose=self._dose, ready=self._ready,
                           min_observation_minutes=self.plan.min_observation_minutes)

    def _moment(self, item: PlanItem) -> float | None:
        """When `item` is (again) due: its time, or the end of its put-off."""
        due = self.due_at(item)
        until = self._put_off.get(item.id)
        if due is None:
            return None
        return max(due, until) if until is not None else due

    # -- state -----------------------------------------------------------------------------

    def item(self, item_id: str) -> PlanItem:
        """The planned item called `item_id` (PlanError when the plan has none)."""
        try:
            return self._items[item_id]
        except KeyError:
            raise PlanError(f"the plan has no item {item_id!r}") from None

    def status(self, item: PlanItem | str, now: float | None = None) -> ItemStatus:
        """Where `item` stands now."""
        item = self.item(item) if isinstance(item, str) else item
        now = self.now() if now is None else now
        due = self.due_at(item)
        finished = self._finished.get(item.id)
        until = self._put_off.get(item.id)
        missed = item.id in self._missed
        if finished is not None:
            state: ItemState = "skipped" if finished.skipped else "done"
            return ItemStatus(item, state, now, due, until, missed, finished.at,
                              finished.values, finished.marks, finished.reason)
        if due is None or now < due:
            state = "upcoming"
        elif until is not None and now < until:
            state = "put_off"
        elif missed or self._late(item, now - due):
            state = "overdue"
        else:
            state = "due"
        return ItemStatus(item, state, now, due, until, missed)

    def _late(self, item: PlanItem, late: float) -> bool:
        # Checks before the dose belong to the open-ended settling: they stay due until the
        # dose is marked; the others are overdue `overdue_after_minutes` after their time.
        if item.anchor == "start":
            return self._dose is not None
        return late >= self.plan.overdue_after_minutes * 60

    def statuses(self) -> list[ItemStatus]:
        """Every item's status, in the plan's order."""
        now = self.now()
        return [self.status(item, now) for item in self.plan.schedule]

    def due_items(self) -> list[ItemStatus]:
        """Items due or overdue now, the earliest first."""
        found = [s for s in self.statuses() if s.state in ("due", "overdue")]
        return sorted(found, key=lambda s: s.due_at or 0.0)

    def next_item(self) -> ItemStatus | None:
        """The item to show: the earliest due, else the next to come (None when all are done)."""
        due = self.due_items()
        if due:
            return due[0]
        waiting = [s for s in self.statuses() if s.open]
        if not waiting:
            return None
        return min(waiting, key=lambda s: (s.wait is None, s.wait or 0.0))

    def poll(self) -> list[ItemStatus]:
        """Report `reminder_due` for items that fell due since the last poll; returns them.

        Call it on the screen's timer (once a second is plenty). A returned item whose
        `item.cue` is set asks for its soft cue sound.
        """
        now = self.now()
        news = []
        for item in self.plan.schedule:
            moment = self._moment(item)
            if (item.id in self._finished or moment is None or now < moment
                    or self._announced.get(item.id, -math.inf) >= moment):
                continue
            self._announced[item.id] = moment
            since_dose = None if self._dose is None else round(moment - self._dose, 3)
            self._emit(ev.reminder_due(item.id, item.kind, item.title, self.due_at(item),
                                       since_dose=since_dose, again=item.id in self._put_off,
                                       missed=item.id in self._missed))
            news.append(self.status(item, now))
        return news

    # -- what the sitter does ----------------------------------------------------------------

    def _open_item(self, item: PlanItem | str) -> PlanItem:
        item = self.item(item) if isinstance(item, str) else self.item(item.id)
        if item.id in self._finished:
            raise PlanError(f"{item.title} ({item.id}) is already "
                            f"{'skipped' if self._finished[item.id].skipped else 'done'}")
        return item

    def put_off(self, item: PlanItem | str, minutes: float | None = None) -> ItemStatus:
        """Put a reminder off (default: the plan's `put_off_minutes`); it is due again after."""
        item = self._open_item(item)
        minutes = self.plan.put_off_minutes if minutes is None else float(minutes)
        if minutes <= 0:
            raise PlanError("a reminder is put off for a positive number of minutes")
        until = self.now() + minutes * 60
        self._put_off[item.id] = until
        self._emit(ev.reminder_put_off(item.id, item.title, minutes, round(until, 3)))
        return self.status(item)

    def done(self, item: PlanItem | str, values: Mapping[str, Any] | None = None,
             note: str = "") -> ItemStatus:
        """Mark an item done; a vitals check with its values (numbers or text, by value name).

        Value names are those of `form(item)`; a reading left empty is recorded as missing.
        Values outside the plan's ranges are marked; a scale's score must lie on the scale.
        """
        item = self._open_item(item)
        now = self.now()
        due = self.due_at(item)
        timing = self._timing(item, due, now) if due is not None else {}
        clean: dict[str, Any] = {}
        marks: dict[str, str] = {}
        if item.kind == "vitals":
            names = [f.name for f in self.form(item)]
            clean, marks = self.check_values(values or {}, names)
            missing = [name for name in names if name not in clean]
            event = ev.vitals_done(item.title, clean, item=item.id, marks=marks, missing=missing,
                                   due=due, note=note, **timing)
        elif values:
            raise PlanError(f"{item.title} is a check-in; it takes no values")
        else:
            event = ev.checkin_done(item.id, item.title, due=due, note=note, **timing)
        self._finished[item.id] = _Done(now, clean, marks)
        self._remember(clean, now)
        self._emit(event)
        return self.status(item, now)

    def _timing(self, item: PlanItem, due: float, now: float) -> dict[str, float]:
        """`late` (seconds past its time; negative: early) for a done item; a check planned
        before the dose has none (it cannot be late for a dose not yet given), only
        `after_dose` when it was taken after the dose mark."""
        if item.anchor != "start":
            return {"late": round(now - due, 3)}
        if self._dose is not None and now > self._dose:
            return {"after_dose": round(now - self._dose, 3)}
        return {}

    def record_vitals(self, values: Mapping[str, Any], note: str = "") -> dict[str, Any]:
        """Vitals taken outside the schedule (any value names of the plan); returns the fields."""
        names = list(spec.VALUE_NAMES) + list(self.plan.scales)
        clean, marks = self.check_values(values, names)
        if not clean:
            raise PlanError("no values were given")
        event = ev.vitals_done("Vitals", clean, marks=marks, note=note)
        self._remember(clean, self.now())
        self._emit(event)
        return event.fields

    def skip(self, item: PlanItem | str, reason: str = "") -> ItemStatus:
        """Skip a planned item (with the sitter's reason)."""
        item = self._open_item(item)
        now = self.now()
        self._finished[item.id] = _Done(now, skipped=True, reason=reason)
        self._emit(ev.reminder_skipped(item.id, item.title, reason, self.due_at(item)))
        return self.status(item, now)

    # -- the vitals form ---------------------------------------------------------------------

    def form(self, item: PlanItem | str | None = None) -> tuple[FormField, ...]:
        """The vitals form's fields for `item` (None: every vital sign and scale of the plan)."""
        if item is None:
            readings = tuple(spec.VITAL_READINGS) + tuple(self.plan.scales)
        else:
            readings = (self.item(item) if isinstance(item, str) else item).readings
        out = []
        for code in readings:
            if code in spec.VITAL_READINGS:
                label, names, unit = spec.VITAL_READINGS[code]
                for name in names:
                    text = {"systolic": "Systolic", "diastolic": "Diastolic"}.get(name, label)
                    out.append(self._field(name, text, unit))
            elif code in self.plan.scales:
                scale = self.plan.scales[code]
                out.append(self._field(code, scale.title, "", scale.minimum, scale.maximum,
                                       scale.words))
        return tuple(out)

    def _field(self, name: str, label: str, unit: str, minimum: float | None = None,
               maximum: float | None = None, words: str = "") -> FormField:
        bounds = self.plan.ranges.get(name)
        last = self._last.get(name)
        return FormField(name, label, unit, minimum, maximum,
                         bounds.low if bounds else None, bounds.high if bounds else None,
                         last[0] if last else None, last[1] if last else None, words)

    def check_values(self, values: Mapping[str, Any],
                     names: Iterable[str]) -> tuple[dict[str, Any], dict[str, str]]:
        """Values as numbers (empty ones left out) and their marks; PlanError names a bad one."""
        allowed = list(names)
        clean: dict[str, Any] = {}
        for name, raw in values.items():
            if name == "bp" and isinstance(raw, str) and "/" in raw:
                high, _, low = raw.partition("/")
                clean.update(self.check_values({"systolic": high, "diastolic": low},
                                               allowed)[0])
                continue
            if name not in allowed:
                raise PlanError(f"{name!r} is not a reading of this check "
                                f"({', '.join(allowed)})")
            number = _number(name, raw)
            if number is None:
                continue
            scale = self.plan.scales.get(name)
            if scale is not None and not scale.minimum <= number <= scale.maximum:
                raise PlanError(f"{scale.title} is scored from {scale.minimum:g} to "
                                f"{scale.maximum:g}, not {number:g}")
            clean[name] = number
        marks = {}
        for name, number in clean.items():
            bounds = self.plan.ranges.get(name)
            mark = bounds.mark(number) if bounds is not None else None
            if mark:
                marks[name] = mark
        return clean, marks

    # -- observation, leaving, harbour and landing ---------------------------------------------

    def observation_ends(self) -> float | None:
        """Elapsed seconds when the minimum observation is over (None: no dose, or none set)."""
        minimum = self.plan.min_observation_minutes
        if minimum is None or self._dose is None:
            return None
        return self._dose + minimum * 60

    def minimum_observation_left(self) -> float:
        """Seconds of minimum observation still to go (0 when met, none set or no dose)."""
        ends = self.observation_ends()
        return 0.0 if ends is None else max(0.0, ends - self.now())

    def ready_to_leave(self, note: str = "") -> float:
        """Mark the client ready to leave (before-leaving items fall due now); returns the time."""
        now = self.now()
        self._ready = now
        self._emit(ev.ready_to_leave(round(self.minimum_observation_left(), 3),
                                     since_dose=self._since_dose(now),
                                     open_items=[s.item.id for s in self.statuses() if s.open],
                                     note=note))
        return now

    def _since_dose(self, now: float) -> float | None:
        return None if self._dose is None else round(now - self._dose, 3)

    def end_early(self, reason: str) -> None:
        """Record the sitter's reason for ending before the minimum observation time."""
        if not reason.strip():
            raise PlanError("ending before the minimum observation time needs a reason")
        event = ev.observation_override(reason.strip(), round(self.minimum_observation_left(), 3),
                                        self.plan.min_observation_minutes,
                                        self._since_dose(self.now()))
        self._overrides += 1
        self._emit(event)

    @property
    def overrides(self) -> int:
        """How many early-end overrides this session has recorded."""
        return self._overrides

    @property
    def in_harbour(self) -> bool:
        """True between `harbour_started` and `harbour_stopped`."""
        return self._harbour_since is not None

    def harbour_started(self) -> dict[str, Any]:
        """Report that the safe harbour began (with the plan's track, fade and level)."""
        harbour = self.plan.harbour
        event = ev.harbour_started(harbour.fade, harbour.level,
                                   harbour.track.title if harbour.track is not None else None)
        self._harbour_since = self.now()
        self._emit(event)
        return event.fields

    def harbour_stopped(self, reason: str = "key") -> dict[str, Any]:
        """Report that the harbour ended (`key`, `grounding_done` or `ending`)."""
        since = self._harbour_since
        event = ev.harbour_stopped(reason, None if since is None else round(self.now() - since, 3))
        self._harbour_since = None
        self._emit(event)
        return event.fields

    def landing_started(self, reason: str = "last_phase") -> dict[str, Any]:
        """Report the soft landing's start (`last_phase` or `ended`)."""
        landing = self.plan.landing
        event = ev.landing_started(landing.fade, reason,
                                   landing.after.title if landing.after is not None else None)
        self._emit(event)
        return event.fields

    def _emit(self, event: ev.NewEvent) -> None:
        if self._on_event is not None:
            self._on_event(event.type, event.fields)


def _number(name: str, raw: Any) -> float | int | None:
    """`raw` as a number (None when empty); PlanError when it is not one."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        raise PlanError(f"{name} must be a number, not {raw!r}")
    if isinstance(raw, (int, float)):
        number: float | int = raw
    else:
        text = str(raw).strip().replace(",", ".").rstrip("%").strip()
        try:
            number = float(text) if any(c in text for c in ".eE") else int(text)
        except ValueError:
            raise PlanError(f"{name} must be a number, not {str(raw)!r}") from None
    if not math.isfinite(number):
        raise PlanError(f"{name} must be a finite number, not {raw!r}")
    return number
