"""The alternatives of a business case built from the case, its register row and data/reference: the location bought or kept, lease, hotel, flex units, Leegstandwet."""

from __future__ import annotations

import math
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from onderdak.business_case.alternatives import Alternative, BusinessCaseInputs
from onderdak.core.errors import InputError
from onderdak.core.notes import Note
from onderdak.finance.cashflow import MONTHS_PER_YEAR
from onderdak.finance.reuse import REUSE_OPTIONS, reuse_spec
from onderdak.io.reference import citation, recourse_eur_per_place_day, scalar
from onderdak.register.locations import closing_month, opening_month

if TYPE_CHECKING:
    from onderdak.case.money import BusinessCaseSettings
    from onderdak.case.settings import Case


BUY_KINDS = ("purchase", "office_conversion", "municipal_building", "flex_units")
"""Register kinds a business case can be made for (the municipality owns the building or units)."""


def row_number(row: pd.Series, key: str) -> float:
    """A number from a register row; 0 when empty."""
    v = row.get(key)
    return 0.0 if v is None or pd.isna(v) else float(v)


def _months_from_start(case: Case, month: pd.Period) -> int:
    return int((month - pd.Period(case.start, freq="M")).n)


def location_opening_month(case: Case, row: pd.Series) -> int:
    """Months from the case's start until the location opens (available_from and lead time)."""
    return max(_months_from_start(case, opening_month(row, pd.Period(case.start, freq="M"))), 0)


def build_alternatives(
    case: Case, row: pd.Series, inputs: BusinessCaseInputs
) -> tuple[list[Alternative], list[Note]]:
    """The alternatives for the same need: the location bought or kept (rule and fixed plan) and the standard ones.

    The location: its usable places (capacity × occupancy norm; need beyond them and beyond the
    target is short), capex = purchase + conversion + furnishing — nothing when the register says the
    municipality already has it (status ``existing``: the purchase is sunk, as in the budget; then
    "sell now" is an alternative and every other alternative sells the building) —, its fixed and
    variable opex, value at the horizon = market value (else the purchase price), and its reuse.
    Lease, Leegstandwet and flex units use the location's running costs plus their own rent or capex;
    each is included only when its ASSUMPTION parameter is set in the case. The hotel (for a GOO
    location) costs the same all-in rate as the recourse and earns no normbedrag (hotels are outside
    it since 2025); where the shortfall of a stream is the COA's (asylum, status holders) the
    alternative to the building is having no places of one's own.
    """
    s: BusinessCaseSettings = case.business_case
    notes: list[Note] = []
    if row["kind"] not in BUY_KINDS:
        raise InputError(
            f"location `{row.name}` is of kind `{row['kind']}`: a business case is made for a building or units "
            f"the municipality owns ({', '.join(BUY_KINDS)})"
        )
    target = inputs.target_places
    opening = location_opening_month(case, row)
    fixed_month = (
        case.horizon_months
        if s.fixed_switch is None
        else _months_from_start(case, pd.Period(s.fixed_switch, freq="M"))
    )
    fixed_opex, var_opex = (
        row_number(row, "fixed_opex_eur_per_year"),
        row_number(row, "variable_opex_eur_per_place_day"),
    )
    purchase = row_number(row, "purchase_price_eur")
    capex = (
        purchase + row_number(row, "conversion_capex_eur") + row_number(row, "furnishing_capex_eur")
    )
    market = row_number(row, "market_value_eur")
    if market <= 0:
        market = purchase
        notes.append(Note.of("bc_no_market_value"))
    registered = [o for o in str(row.get("reuse_options") or "").split(";") if o in REUSE_OPTIONS]
    option = s.reuse_option or (
        registered[0]
        if registered
        else ("relocate_units" if row["kind"] == "flex_units" else "sale")
    )
    if option not in s.reuse:
        notes.append(Note.of("bc_reuse_defaults", option=option))
    units = purchase if row["kind"] == "flex_units" else 0.0
    reuse = reuse_spec(
        option, s.reuse.get(option), market_value_eur=market, units_investment_eur=units
    )
    closing = _closing_term(case, row, opening)
    usable = row_number(row, "capacity_places") * row_number(row, "occupancy_norm_share")
    owned = str(row.get("status")) == "existing"
    if owned:
        capex = 0.0
        notes.append(Note.of("bc_owned"))
    sale = reuse_spec("sale", s.reuse.get("sale"), market_value_eur=market)
    common = dict(
        kind="buy_convert",
        capacity_places=usable,
        capex_eur=capex,
        lead_time_months=opening,
        term_months=closing,
        fixed_opex_eur_per_year=fixed_opex,
        variable_opex_eur_per_place_day=var_opex,
        residual_value_eur=market,
        rule_months=s.decision_rule_months,
        fixed_month=fixed_month,
        reuse=reuse,
    )
    alts = [
        Alternative(name="buy_rule", label="", plan="rule", label_facts={"owned": owned}, **common),
        Alternative(
            name="buy_fixed", label="", plan="fixed", label_facts={"owned": owned}, **common
        ),
    ]
    if owned:
        alts.append(
            Alternative(
                name="sell_now",
                label="",
                plan="fixed",
                **{**common, "fixed_month": 0, "reuse": sale},
            )
        )
    share = np.asarray(inputs.municipal_recourse_share, dtype=float)
    if share.ndim == 0 and float(share) == 1.0:
        alts.append(
            Alternative(
                name="hotel",
                label="",
                kind="hotel",
                capacity_places=target,
                # one price for a hotel place: the same all-in figure as the recourse
                variable_opex_eur_per_place_day=s.hotel_eur_per_place_day
                or recourse_eur_per_place_day("hotel")[0],
                earns_income=False,  # hotels are outside the normbedrag since 2025
            )
        )
    else:
        alts.append(
            Alternative(
                name="no_places",
                label="",
                label_facts={"coa_only": bool(np.all(share == 0))},
                kind="none",
                capacity_places=0.0,
            )
        )
    if s.lease_rent_eur_per_place_year is not None:
        alts.append(
            Alternative(
                name="lease",
                label="",
                kind="lease",
                capacity_places=target,
                capex_eur=s.lease_capex_eur,
                lead_time_months=s.lease_lead_time_months,
                term_months=round(s.lease_term_years * MONTHS_PER_YEAR),
                fixed_opex_eur_per_year=s.lease_rent_eur_per_place_year * target + fixed_opex,
                variable_opex_eur_per_place_day=var_opex,
            )
        )
    else:
        notes.append(Note.of("bc_no_lease"))
    if s.flex_places_per_unit is not None:
        n_units = math.ceil(target / s.flex_places_per_unit)
        invest = n_units * scalar("flex_unit_cost_eur_2022")
        alts.append(
            Alternative(
                name="flex_units",
                label="",
                label_facts={"units": n_units},
                kind="flex_units",
                capacity_places=target,
                capex_eur=invest + s.flex_site_capex_eur,
                lead_time_months=int(scalar("flex_lead_time_months")),
                term_months=round(scalar("flex_standing_years_max") * MONTHS_PER_YEAR),
                fixed_opex_eur_per_year=fixed_opex,
                variable_opex_eur_per_place_day=var_opex,
                plan="rule",
                rule_months=s.decision_rule_months,
                fixed_month=fixed_month,
                reuse=reuse_spec(
                    "relocate_units", s.reuse.get("relocate_units"), units_investment_eur=invest
                ),
            )
        )
        notes.append(
            Note.of(
                "bc_flex",
                unit_eur=scalar("flex_unit_cost_eur_2022"),
                unit_source=citation("flex_unit_cost_eur_2022"),
                relocation_share=scalar("flex_relocation_cost_share"),
                relocation_source=citation("flex_relocation_cost_share"),
                residual_share=scalar("flex_residual_value_share"),
                residual_source=citation("flex_residual_value_share"),
                years=scalar("flex_standing_years_max"),
            )
        )
    if s.leegstandwet_rent_eur_per_year is not None:
        years = scalar("leegstandwet_max_years_non_residential")
        alts.append(
            Alternative(
                name="leegstandwet",
                label="",
                label_facts={"years": years},
                kind="leegstandwet",
                capacity_places=target,
                capex_eur=s.leegstandwet_capex_eur,
                lead_time_months=s.leegstandwet_lead_time_months,
                term_months=round(years * MONTHS_PER_YEAR),
                fixed_opex_eur_per_year=s.leegstandwet_rent_eur_per_year + fixed_opex,
                variable_opex_eur_per_place_day=var_opex,
            )
        )
        notes.append(
            Note.of(
                "bc_leegstandwet",
                years=years,
                source=citation("leegstandwet_max_years_non_residential"),
            )
        )
    for u in s.alternatives:
        reuse_u = (
            None
            if u.reuse is None
            else reuse_spec(u.reuse, s.reuse.get(u.reuse), market_value_eur=u.residual_value_eur)
        )
        alts.append(
            Alternative(
                name=u.name,
                label=u.label or u.name,
                kind=u.kind,
                capacity_places=float(u.capacity_places or target),
                capex_eur=u.capex_eur,
                lead_time_months=u.lead_time_months,
                term_months=None if u.term_years is None else round(u.term_years * MONTHS_PER_YEAR),
                fixed_opex_eur_per_year=u.fixed_opex_eur_per_year,
                variable_opex_eur_per_place_day=u.variable_opex_eur_per_place_day,
                end_cost_eur=u.end_cost_eur,
                end_value_eur=u.end_value_eur,
                residual_value_eur=u.residual_value_eur,
                plan=u.plan,
                rule_months=s.decision_rule_months,
                fixed_month=fixed_month,
                reuse=reuse_u,
            )
        )
    if owned:  # another alternative holds the need: the building the municipality owns is sold
        own = ("buy_rule", "buy_fixed", "sell_now")
        proceeds = sale.one_off_value_eur - sale.capex_eur
        alts = [
            a
            if a.name in own
            else replace(a, proceeds_eur=proceeds, proceeds_month=sale.lead_time_months)
            for a in alts
        ]
    used = sorted({a.reuse.option for a in alts if a.reuse is not None})
    notes.extend(settings_assumptions(s, used))
    names = [a.name for a in alts]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise InputError(
            f"business_case.alternatives: names {dupes} are already used; choose other names"
        )
    return alts, notes


def settings_assumptions(settings: BusinessCaseSettings, reuse_options: list[str]) -> list[Note]:
    """The user parameters of the business case that are assumptions, with the values used: a
    ``bc_setting`` note per setting (``setting``, ``value``) and a ``bc_reuse_setting`` note per
    reuse option (``option``, ``values``: parameter → value)."""
    out = []
    for name, info in type(settings).model_fields.items():
        value = getattr(settings, name)
        if value is not None and "ASSUMPTION" in (info.description or ""):
            out.append(Note.of("bc_setting", setting=name, value=value))
    for option in reuse_options:
        params = settings.reuse.get(option)
        if params is not None:
            values = {k: v for k, v in params.model_dump().items() if v is not None}
            out.append(Note.of("bc_reuse_setting", option=option, values=values))
    return out


def _closing_term(case: Case, row: pd.Series, opening: int) -> int | None:
    """Months the location may stay in reception after opening (its available_until), None: no limit."""
    close = closing_month(row)
    if close is None:
        return None
    return max(_months_from_start(case, close) + 1 - opening, 0)
