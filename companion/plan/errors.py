"""The plan's one error."""

from __future__ import annotations

from companion.errors import CompanionError


class PlanError(CompanionError):
    """An action the plan cannot take (an unknown item, a value that is not a number...)."""
