"""The plan in the room as it runs: which vitals checks and check-ins are due, on an injected clock.

`tracker.PlanTracker` computes every state from the dose mark and the session clock when
asked and reports the sitter's actions as record events; `memory` is what the record says
happened; `status` where each item stands and how the screen says it; `values` the vitals
form and the values typed in it.
"""

from typing import TYPE_CHECKING

from companion.lazy import exports

if TYPE_CHECKING:  # names for type checkers and editors; at run time, exports() loads them
    from companion.plan.errors import PlanError
    from companion.plan.status import ItemState, ItemStatus, checks_due_text, minutes_text
    from companion.plan.tracker import PlanTracker
    from companion.plan.values import NOTE_VALUE_NAMES, FormField, note_ranges

__getattr__, __all__ = exports(__name__, {
    "errors": ("PlanError",),
    "status": ("ItemState", "ItemStatus", "checks_due_text", "minutes_text"),
    "tracker": ("PlanTracker",),
    "values": ("NOTE_VALUE_NAMES", "FormField", "note_ranges"),
})
