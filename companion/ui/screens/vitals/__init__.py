"""The vitals form (`form.ReminderDialog`, also the check-in card), the question before keeping
a reading no one can have (`implausible`), and reading what was typed (`typed`)."""

from companion.lazy import exports

__getattr__, __all__ = exports(__name__, {
    "form": ("DONE", "PUT_OFF", "SKIPPED", "ReminderDialog"),
    "implausible": ("FIX", "KEEP", "USE_FIX", "ImplausibleDialog"),
    "typed": ("field_hint", "field_problem", "pressure_conflict", "split_pressure"),
})
