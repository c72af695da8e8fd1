"""Tests of onderdak.io.reference and the integrity of data/reference against facts.md."""

from __future__ import annotations

import pandas as pd
import pytest

from onderdak.core.errors import InputError
from onderdak.io import reference

CSV_FILES = sorted(p.name for p in reference.REFERENCE_DIR.glob("*.csv"))


def test_every_listed_file_exists_and_every_csv_is_listed():
    sources = reference.load_sources()
    listed = {f for f in sources["file"] if f}
    assert listed, "sources.csv lists no series file"
    for name in listed:
        assert (reference.REFERENCE_DIR / name).is_file(), (
            f"{name} listed in sources.csv but missing"
        )
    unlisted = set(CSV_FILES) - listed - {reference.SOURCES_FILE}
    assert not unlisted, f"CSV files without a row in sources.csv: {sorted(unlisted)}"


@pytest.mark.parametrize("name", CSV_FILES)
def test_every_row_has_source_date_and_confidence(name):
    frame = pd.read_csv(reference.REFERENCE_DIR / name, dtype=str, keep_default_na=False)
    for column in ("source", "date", "confidence"):
        assert column in frame.columns, f"{name}: no `{column}` column"
        empty = frame.index[frame[column].str.strip() == ""].tolist()
        assert not empty, f"{name}: rows {empty} have an empty `{column}`"
    assert set(frame["confidence"]) <= {"H", "M", "L"}, name


def test_scalar_rows_have_values_and_file_rows_do_not():
    sources = reference.load_sources()
    scalars = sources[sources["file"] == ""]
    assert (scalars["value"].str.strip() != "").all(), "a scalar row lacks a value"
    assert (sources.loc[sources["file"] != "", "value"] == "").all()
    assert (sources["unit"].str.strip() != "").all()


@pytest.mark.parametrize("name", CSV_FILES)
def test_rows_whose_figure_is_derived_are_low_confidence(name):
    frame = pd.read_csv(reference.REFERENCE_DIR / name, dtype=str, keep_default_na=False)
    derived = frame[frame["note"].str.startswith("derived")]
    assert (derived["confidence"] == "L").all(), f"{name}: derived rows not marked L"


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("national_population_persons", 17_811_291),
        ("coa_occupancy_norm_share", 0.91),
        ("coa_cost_regular_eur_per_place_year_2023", 30_400),
        ("coa_cost_emergency_eur_per_place_year_2023", 69_400),
        ("spreidingswet_national_places_cycle_2025", 96_000),
        ("spreidingswet_national_places_cycle_2027", 88_000),
        ("ukraine_goo_persons_2024_11", 91_990),
        ("leegstandwet_max_years_rental_home", 7),
        ("heusden_conversion_eur_per_place", 5_175),
    ],
)
def test_scalar_spot_checks(key, expected):
    assert reference.scalar(key) == pytest.approx(expected)


def test_scalar_text_and_citation():
    assert reference.scalar_text("tpd_end_date") == "2027-03-04"
    assert reference.citation("coa_occupancy_norm_share") == "COA news 2023-11, 2023-11"


def test_missing_or_non_numeric_key_raises_input_error_naming_file_and_key():
    with pytest.raises(InputError, match=r"sources\.csv.*no_such_key"):
        reference.scalar("no_such_key")
    with pytest.raises(InputError, match="tpd_end_date"):
        reference.scalar("tpd_end_date")
    with pytest.raises(InputError, match="normbedrag"):
        reference.scalar("normbedrag")
    with pytest.raises(InputError, match="no_such_table"):
        reference.table("no_such_table")


def test_series_spot_checks_against_facts():
    norm = reference.table("normbedrag").set_index("year")
    assert norm.loc[2024, "goo_eur_per_place_day"] == 61
    assert norm.loc[2025, "goo_eur_per_place_day"] == 44
    assert norm.loc[2026, "goo_eur_per_place_day"] != norm.loc[2026, "goo_eur_per_place_day"]  # NaN
    taak = reference.table("taakstelling").set_index("half_year")
    assert taak.loc["2023-II", "taakstelling_persons"] == 27_300
    assert pd.isna(taak.loc["2024-I", "taakstelling_persons"])
    yearly = reference.table("asylum_inflow_yearly").set_index("year")
    assert yearly.loc[2015, "first_applications_persons"] == 43_095
    assert yearly.loc[2024, "total_inflow_persons"] == 45_640


def test_yearly_asylum_series_covers_2013_to_2025():
    yearly = reference.table("asylum_inflow_yearly")
    assert yearly["year"].tolist() == list(range(2013, 2026))


def test_repeat_applications_close_the_yearly_balance():
    # independent cross-check: where all four are given, first + nareis + repeat = total (IND rounding)
    y = reference.table("asylum_inflow_yearly").dropna(
        subset=["first_applications_persons", "nareizigers_persons", "repeat_applications_persons"]
    )
    parts = y[["first_applications_persons", "nareizigers_persons", "repeat_applications_persons"]]
    assert (parts.sum(axis=1) - y["total_inflow_persons"]).abs().max() <= 50


def test_quarters_sum_to_year_for_2022():
    q = reference.table("asylum_inflow_quarterly")
    q2022 = q[q["quarter"].str.startswith("2022")]
    assert q2022["first_applications_persons"].sum() == 35_535
    assert q2022["nareizigers_persons"].sum() == 10_925


def test_mpp_outcomes_match_yearly_totals():
    mpp = reference.table("mpp_ranges").dropna(subset=["outcome_persons"])
    totals = reference.table("asylum_inflow_yearly").set_index("year")["total_inflow_persons"]
    for _, row in mpp.iterrows():
        assert row["outcome_persons"] == totals[row["for_year"]], row["forecast"]


def test_load_sources_returns_a_copy():
    first = reference.load_sources()
    first.loc[:, "value"] = "x"
    assert reference.load_sources().loc["coa_occupancy_norm_share", "value"] == "0.91"
