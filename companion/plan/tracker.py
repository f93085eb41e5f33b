"""PlanTracker: the plan in the room as it runs, on an injected clock.

It keeps no timers: every state is computed from the dose mark and the session clock when
asked, so nothing drifts, and a tracker rebuilt from the record's events after a crash
knows what was done, put off and skipped (`PlanMemory`). It reports through
`on_event(type, fields)` with the record's builders (`companion.record.events`); the
session controller writes them. It gives no clinical advice: times, readings, ranges and
words all come from the plan.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from companion.plan.errors import PlanError
from companion.plan.memory import Done, PlanMemory
from companion.plan.status import ItemState, ItemStatus
from companion.plan.values import FormField, check_values, form_fields
from companion.playlist import spec
from companion.playlist.model import Plan, PlanItem, due_elapsed
from companion.record import events as ev
from companion.record.events import Event, EventSink, NewEvent


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
        events = list(history)
        self._replay(events, PlanMemory(self._items, dose_elapsed),
                     keep_dose=dose_elapsed is not None)
        loaded = [e for e in events if e.type == ev.PLAN_LOADED]
        event = ev.plan_loaded(plan)
        if not loaded or dict(loaded[-1].fields) != event.fields:
            self._emit(event)  # also when a resumed playlist's plan changed

    # -- rebuilding from the record ---------------------------------------------------------

    def rebuild(self, history: Iterable[Event]) -> None:
        """Forget everything and replay `history` (the record's events in force, after a
        correction: a struck or moved dose mark, a struck check or ready-to-leave)."""
        self._replay(list(history), PlanMemory(self._items))

    def _replay(self, events: list[Event], memory: PlanMemory, keep_dose: bool = False) -> None:
        """Remember `events` afresh; after a resume, the items that fell due while the app
        was down are missed (shown overdue at once)."""
        self._memory = memory
        memory.replay(events, keep_dose=keep_dose)
        resumed_at = memory.resumed_at
        if resumed_at is None:
            return
        for item in self._items.values():
            moment = self._moment(item)
            if (item.id not in memory.finished and moment is not None and moment <= resumed_at
                    and memory.announced.get(item.id, -math.inf) < moment):
                memory.missed.add(item.id)

    # -- time ------------------------------------------------------------------------------

    @property
    def dose_elapsed(self) -> float | None:
        """Elapsed seconds of the dose mark, or None before it."""
        return self._memory.dose

    @property
    def ready_elapsed(self) -> float | None:
        """Elapsed seconds when the client was marked ready to leave, or None."""
        return self._memory.ready

    def now(self) -> float:
        """Elapsed session seconds now."""
        return self._elapsed()

    def mark_dose(self, elapsed: float | None = None) -> None:
        """The dose was marked (now, or at `elapsed`): dose-timed items count from here."""
        self._memory.dose = self.now() if elapsed is None else elapsed

    def due_at(self, item: PlanItem) -> float | None:
        """Elapsed seconds when `item` falls due (None while it waits for the dose)."""
        return due_elapsed(item.anchor, item.minutes, dose=self._memory.dose, ready=self._memory.ready,
                           min_observation_minutes=self.plan.min_observation_minutes)

    def _moment(self, item: PlanItem) -> float | None:
        """When `item` is (again) due: its time, or the end of its put-off."""
        due = self.due_at(item)
        until = self._memory.put_off.get(item.id)
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
        finished = self._memory.finished.get(item.id)
        until = self._memory.put_off.get(item.id)
        missed = item.id in self._memory.missed
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
            return self._memory.dose is not None
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
            if (item.id in self._memory.finished or moment is None or now < moment
                    or self._memory.announced.get(item.id, -math.inf) >= moment):
                continue
            self._memory.announced[item.id] = moment
            since_dose = None if self._memory.dose is None else round(moment - self._memory.dose, 3)
            self._emit(ev.reminder_due(item.id, item.kind, item.title, self.due_at(item),
                                       since_dose=since_dose, again=item.id in self._memory.put_off,
                                       missed=item.id in self._memory.missed))
            news.append(self.status(item, now))
        return news

    # -- what the sitter does ----------------------------------------------------------------

    def _open_item(self, item: PlanItem | str) -> PlanItem:
        item = self.item(item) if isinstance(item, str) else self.item(item.id)
        if item.id in self._memory.finished:
            raise PlanError(f"{item.title} ({item.id}) is already "
                            f"{'skipped' if self._memory.finished[item.id].skipped else 'done'}")
        return item

    def put_off(self, item: PlanItem | str, minutes: float | None = None) -> ItemStatus:
        """Put a reminder off (default: the plan's `put_off_minutes`); it is due again after."""
        item = self._open_item(item)
        minutes = self.plan.put_off_minutes if minutes is None else float(minutes)
        if minutes <= 0:
            raise PlanError("a reminder is put off for a positive number of minutes")
        until = self.now() + minutes * 60
        self._memory.put_off[item.id] = until
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
        self._memory.finished[item.id] = Done(now, clean, marks)
        self._memory.remember(clean, now)
        self._emit(event)
        return self.status(item, now)

    def _timing(self, item: PlanItem, due: float, now: float) -> dict[str, float]:
        """`late` (seconds past its time; negative: early) for a done item; a check planned
        before the dose has none (it cannot be late for a dose not yet given), only
        `after_dose` when it was taken after the dose mark."""
        if item.anchor != "start":
            return {"late": round(now - due, 3)}
        if self._memory.dose is not None and now > self._memory.dose:
            return {"after_dose": round(now - self._memory.dose, 3)}
        return {}

    def record_vitals(self, values: Mapping[str, Any], note: str = "") -> dict[str, Any]:
        """Vitals taken outside the schedule (any value names of the plan); returns the fields."""
        names = list(spec.VALUE_NAMES) + list(self.plan.scales)
        clean, marks = self.check_values(values, names)
        if not clean:
            raise PlanError("no values were given")
        event = ev.vitals_done("Vitals", clean, marks=marks, note=note)
        self._memory.remember(clean, self.now())
        self._emit(event)
        return event.fields

    def skip(self, item: PlanItem | str, reason: str = "") -> ItemStatus:
        """Skip a planned item (with the sitter's reason)."""
        item = self._open_item(item)
        now = self.now()
        self._memory.finished[item.id] = Done(now, skipped=True, reason=reason)
        self._emit(ev.reminder_skipped(item.id, item.title, reason, self.due_at(item)))
        return self.status(item, now)

    # -- the vitals form ---------------------------------------------------------------------

    def form(self, item: PlanItem | str | None = None) -> tuple[FormField, ...]:
        """The vitals form's fields for `item` (None: every vital sign and scale of the plan)."""
        if item is None:
            readings = tuple(spec.VITAL_READINGS) + tuple(self.plan.scales)
        else:
            readings = (self.item(item) if isinstance(item, str) else item).readings
        return form_fields(self.plan, readings, self._memory.last)

    def check_values(self, values: Mapping[str, Any],
                     names: Iterable[str]) -> tuple[dict[str, Any], dict[str, str]]:
        """Values as numbers (empty ones left out) and their marks; PlanError names a bad one."""
        return check_values(self.plan, values, names)

    # -- observation, leaving, harbour and landing ---------------------------------------------

    def observation_ends(self) -> float | None:
        """Elapsed seconds when the minimum observation is over (None: no dose, or none set)."""
        minimum = self.plan.min_observation_minutes
        if minimum is None or self._memory.dose is None:
            return None
        return self._memory.dose + minimum * 60

    def minimum_observation_left(self) -> float:
        """Seconds of minimum observation still to go (0 when met, none set or no dose)."""
        ends = self.observation_ends()
        return 0.0 if ends is None else max(0.0, ends - self.now())

    def ready_to_leave(self, note: str = "") -> float:
        """Mark the client ready to leave (before-leaving items fall due now); returns the time."""
        now = self.now()
        self._memory.ready = now
        self._emit(ev.ready_to_leave(round(self.minimum_observation_left(), 3),
                                     since_dose=self._since_dose(now),
                                     open_items=[s.item.id for s in self.statuses() if s.open],
                                     note=note))
        return now

    def _since_dose(self, now: float) -> float | None:
        return None if self._memory.dose is None else round(now - self._memory.dose, 3)

    def end_early(self, reason: str) -> None:
        """Record the sitter's reason for ending before the minimum observation time."""
        if not reason.strip():
            raise PlanError("ending before the minimum observation time needs a reason")
        event = ev.observation_override(reason.strip(), round(self.minimum_observation_left(), 3),
                                        self.plan.min_observation_minutes,
                                        self._since_dose(self.now()))
        self._memory.overrides += 1
        self._emit(event)

    @property
    def overrides(self) -> int:
        """How many early-end overrides this session has recorded."""
        return self._memory.overrides

    @property
    def in_harbour(self) -> bool:
        """True between `harbour_started` and `harbour_stopped`."""
        return self._memory.harbour_since is not None

    def harbour_started(self) -> dict[str, Any]:
        """Report that the safe harbour began (with the plan's track, fade and level)."""
        harbour = self.plan.harbour
        event = ev.harbour_started(harbour.fade, harbour.level,
                                   harbour.track.title if harbour.track is not None else None)
        self._memory.harbour_since = self.now()
        self._emit(event)
        return event.fields

    def harbour_stopped(self, reason: str = "key") -> dict[str, Any]:
        """Report that the harbour ended (`key`, `grounding_done` or `ending`)."""
        since = self._memory.harbour_since
        event = ev.harbour_stopped(reason, None if since is None else round(self.now() - since, 3))
        self._memory.harbour_since = None
        self._emit(event)
        return event.fields

    def landing_started(self, reason: str = "last_phase") -> dict[str, Any]:
        """Report the soft landing's start (`last_phase` or `ended`)."""
        landing = self.plan.landing
        event = ev.landing_started(landing.fade, reason,
                                   landing.after.title if landing.after is not None else None)
        self._emit(event)
        return event.fields

    def _emit(self, event: NewEvent) -> None:
        if self._on_event is not None:
            self._on_event(event.type, event.fields)
