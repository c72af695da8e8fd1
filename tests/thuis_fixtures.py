"""Shared 'thuis' settings for the tests: every ASSUMPTION field set to a round test value."""

from __future__ import annotations

from onderdak.case.thuis import ThuisSettings

SPLIT = {"age_0_3": 0.25, "age_4_11": 0.45, "age_12_17": 0.30}


def settings(**changes) -> ThuisSettings:
    """ThuisSettings with test values; ``changes`` override top-level blocks (dicts)."""
    data = {
        "ukraine": {
            "minor_age_split": SPLIT,
            "senior_share_of_adults": 0.10,
            "newcomer_education_share": 0.5,
        },
        "asylum": {
            "minor_age_split": SPLIT,
            "senior_share_of_adults": 0.02,
            "employed_share_of_working_age": 0.05,
            "newcomer_education_share": 1.0,
        },
        "status_holders": {
            "minor_share": 0.30,
            "minor_age_split": SPLIT,
            "senior_share_of_adults": 0.02,
        },
        "school": {"newcomer_primary_group_pupils": 15, "isk_class_pupils": 16},
        "inburgering": {
            "intake_delay_months": 2,
            "pip_delay_months": 1,
            "route_shares": {"b1": 0.6, "onderwijs": 0.1, "z": 0.3},
            "route_months": {"b1": 30, "onderwijs": 24, "z": 18},
        },
        "staff": {
            "taakstelling_fte_per_100_housed_per_year": 1.0,
            "inburgering_fte_per_100_trajectories": 2.0,
        },
    }
    data.update(changes)
    return ThuisSettings.model_validate(data)
