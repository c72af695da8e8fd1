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
    """A question with no answer under the constraints given (names the binding constraint).

    The message is for the command line (English); a report words ``code`` and ``facts``
    (:func:`onderdak.reporting.advice_text.plan_error_text`). Codes: ``no_plan`` (no diagnosis
    made), ``time_limit`` (``seconds``), ``portfolio`` (the locations cannot provide the
    reliability), ``together`` (the constraint ``groups`` bind only together), ``binding``
    (each of ``groups`` binds; with ``budget_eur``, ``min_capex_eur``, ``reachable`` per stream,
    ``max_places_per_wijk``, ``must_keep``, ``min_quality``, ``excluded``, ``forbidden`` where
    they apply) and ``unreachable`` (a stream's band exceeds every place that could serve it).
    ``levels``: per stream the reliability asked (share).
    """

    def __init__(self, message: str, code: str = "no_plan", facts: dict | None = None):
        super().__init__(message)
        self.code = code
        self.facts = dict(facts or {})


class ReportError(OnderdakError):
    """A report run failed; the message names the notebook cell that failed."""

    exit_code = 1
