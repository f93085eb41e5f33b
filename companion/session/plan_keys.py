"""The plan in the room as the session screen's keys use it: the vitals form, reminders put
off or skipped, observation time, ready to leave (UI thread only)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from companion.plan import FormField, ItemStatus, PlanTracker
    from companion.playlist.model import PlanItem
    from companion.record.outside import OutsideReading
    from companion.session.ports import RecordPort


class PlanKeys:
    """The controller's part that answers the plan's keys; the tracker keeps the schedule."""

    tracker: PlanTracker
    record: RecordPort

    def form_target(self) -> ItemStatus | None:
        """The item the vitals key opens: the earliest due, else the next open one, else None."""
        status = self.tracker.next_item()
        return status if status is not None and status.open else None

    def vitals_form(self, item: PlanItem | None = None) -> tuple[FormField, ...]:
        """The fields of `item`'s vitals form (None: vitals taken outside the schedule)."""
        return self.tracker.form(item)

    def record_vitals(self, values: Mapping[str, Any]) -> None:
        """Vitals taken outside the schedule, as typed in the form (raises PlanError)."""
        self.tracker.record_vitals(values)

    def item_done(self, item: PlanItem, values: Mapping[str, Any] | None = None) -> None:
        """A planned check done, with its vitals as typed (raises PlanError)."""
        self.tracker.done(item, values)

    def put_off(self, item: PlanItem) -> None:
        """Put a due item off for the plan's minutes (raises PlanError)."""
        self.tracker.put_off(item)

    def skip_item(self, item: PlanItem, reason: str) -> None:
        """Skip a planned item, with the sitter's reason."""
        self.tracker.skip(item, reason)

    @property
    def put_off_minutes(self) -> float:
        """How long a put-off reminder waits."""
        return self.tracker.plan.put_off_minutes

    @property
    def min_observation_minutes(self) -> float | None:
        """The plan's minimum observation after the dose (None: it sets none)."""
        return self.tracker.plan.min_observation_minutes

    @property
    def dose_elapsed(self) -> float | None:
        """When the dose was marked (elapsed seconds) as the plan knows it: from the key press."""
        return self.tracker.dose_elapsed

    @property
    def ready_elapsed(self) -> float | None:
        """When the client was marked ready to leave (elapsed seconds), or None."""
        return self.tracker.ready_elapsed

    def due_items(self) -> list[ItemStatus]:
        """Every planned item due or overdue now, the earliest first."""
        return self.tracker.due_items()

    def observation_left(self) -> float:
        """Seconds of minimum observation still to go (0 when met, none set, or no dose)."""
        return self.tracker.minimum_observation_left()

    def ready_to_leave(self) -> float:
        """Mark the client ready to leave now (before-leaving checks fall due); returns the time."""
        return self.tracker.ready_to_leave()

    def readings_outside_ranges(self) -> list[OutsideReading]:
        """Readings (form or note) outside the clinician's ranges since the last in-range
        reading of the same value: what to look at before marking the client ready to leave."""
        from companion.record.outside import outside_since_in_range

        return outside_since_in_range(list(self.record.events))

    def end_early(self, reason: str) -> None:
        """Record the sitter's reason for ending before the minimum observation time."""
        self.tracker.end_early(reason)
