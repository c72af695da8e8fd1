"""Domain exceptions whose messages a consultant understands; the CLI maps them to exit code 2."""

from __future__ import annotations


class OnderdakError(Exception):
    """Base class of all errors Onderdak reports to a user without a traceback."""

    exit_code = 2


class InputError(OnderdakError):
    """Invalid user input: a case file, a register, a parameter. Message names file, row and field."""

    def __init__(self, message: str, problems: list[str] | None = None):
        self.problems = list(problems or [])
        full = (
            message
            if not self.problems
            else message + "\n" + "\n".join(f"  - {p}" for p in self.problems)
        )
        super().__init__(full)


class InfeasibleError(OnderdakError):
    """A question with no answer under the constraints given (names the binding constraint)."""


class ReportError(OnderdakError):
    """A report run failed; the message names the notebook cell that failed."""

    exit_code = 1
