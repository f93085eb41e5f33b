"""The vitals form (`form.ReminderDialog`, also the check-in card), the question before keeping
a reading no one can have (`implausible`), and reading what was typed (`typed`)."""

from typing import TYPE_CHECKING

from companion.lazy import exports

if TYPE_CHECKING:  # names for type checkers and editors; at run time, exports() loads them
    from companion.ui.screens.vitals.form import DONE, PUT_OFF, SKIPPED, ReminderDialog
    from companion.ui.screens.vitals.implausible import FIX, KEEP, USE_FIX, ImplausibleDialog
    from companion.ui.screens.vitals.typed import (field_hint, field_problem, pressure_conflict,
                                                   split_pressure)

__getattr__, __all__ = exports(__name__, {
    "form": ("DONE", "PUT_OFF", "SKIPPED", "ReminderDialog"),
    "implausible": ("FIX", "KEEP", "USE_FIX", "ImplausibleDialog"),
    "typed": ("field_hint", "field_problem", "pressure_conflict", "split_pressure"),
})
