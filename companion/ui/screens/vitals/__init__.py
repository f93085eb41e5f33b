"""The vitals form (`form.ReminderDialog`, also the check-in card), the question before keeping
a reading no one can have (`implausible`), and reading what was typed (`typed`)."""

from companion.ui.screens.vitals.form import DONE, PUT_OFF, SKIPPED, ReminderDialog
from companion.ui.screens.vitals.implausible import FIX, KEEP, USE_FIX, ImplausibleDialog
from companion.ui.screens.vitals.typed import (field_hint, field_problem, pressure_conflict,
                                               split_pressure)

__all__ = [
    "DONE", "FIX", "KEEP", "PUT_OFF", "SKIPPED", "USE_FIX", "ImplausibleDialog",
    "ReminderDialog", "field_hint", "field_problem", "pressure_conflict", "split_pressure",
]
