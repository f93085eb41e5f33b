"""The session's dialogs: each a ModalScreen that returns its answer through `dismiss`.

End the session (with an optional closing note; before the minimum observation time, with
the sitter's reason), add a tagged note, a distress rating, a reason (for a skipped check),
jump to a phase, resume an interrupted session, the keys, the log so far, and the report
at the end. Escape always means "never mind" and returns None (or False).

Words typed into a dialog are never lost to a key: leaving without sending them (Escape,
"Keep going", a button that says no) keeps them as a note in the record, and the app says
so. A dialog too tall for the terminal draws its fields and buttons on one line each.
"""

from typing import TYPE_CHECKING

from companion.lazy import exports

if TYPE_CHECKING:  # names for type checkers and editors; at run time, exports() loads them
    from companion.ui.screens.dialogs.base import KEPT_HINT, Dialog
    from companion.ui.screens.dialogs.choices import (ConfirmDialog, PhaseDialog, PickDialog,
                                                      ResumeDialog)
    from companion.ui.screens.dialogs.ending import EarlyEndDialog, EndDialog
    from companion.ui.screens.dialogs.notes import (NOTE_TAG_LABELS, DistressDialog, NoteDialog,
                                                    ReasonDialog)
    from companion.ui.screens.dialogs.reading import HELP_TWO_COLUMNS_WIDTH, HelpDialog, LogDialog
    from companion.ui.screens.dialogs.report import ReportDialog, ReportScreen

__getattr__, __all__ = exports(__name__, {
    "base": ("KEPT_HINT", "Dialog"),
    "choices": ("ConfirmDialog", "PhaseDialog", "PickDialog", "ResumeDialog"),
    "ending": ("EarlyEndDialog", "EndDialog"),
    "notes": ("NOTE_TAG_LABELS", "DistressDialog", "NoteDialog", "ReasonDialog"),
    "reading": ("HELP_TWO_COLUMNS_WIDTH", "HelpDialog", "LogDialog"),
    "report": ("ReportDialog", "ReportScreen"),
})
