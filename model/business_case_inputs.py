"""What a business case is evaluated on: the need a location serves (from the pipeline) and the alternatives built from the case, the register and data/reference."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from model.alternatives import Alternative, BusinessCaseInputs
from model.errors import InputError
from model.finance import MONTHS_PER_YEAR, months_in_horizon, normbedrag_per_month
from model.reference import citation, municipal_recourse, recourse_eur_per_place_day, scalar
from model.reuse import REUSE_OPTIONS, reuse_spec

if TYPE_CHECKING:
    from model.case import BusinessCaseSettings, Case
    from model.ensemble import Need
    from model.locations import Register

BUY_KINDS = ("purchase", "office_conversion", "municipal_building", "flex_units")
"""Register kinds a business case can be made for (the municipality owns the building or units)."""

PORTFOLIO_STATUSES = ("existing", "planned")
"""Statuses that make up 'the rest of the portfolio' (candidates are not decided yet)."""



def extend_months(values: np.ndarray, months: int, how: str) -> np.ndarray:
    """Values (paths, m) cut or extended to ``months``: beyond m the last month's value (``last``) or 0."""
    m = values.shape[1]
    if months <= m:
        return values[:, :months].copy()
    fill = values[:, -1:] if how == "last" else np.zeros((values.shape[0], 1))
    return np.concatenate([values, np.repeat(fill, months - m, axis=1)], axis=1)


def excess_need_places(
    case: Case, register: Register, location_id: str, need: Need, lookahead_months: int = 0
) -> np.ndarray:
    """Need of the location's streams minus the rest of the portfolio's usable capacity, (paths, months).

    The rest of the portfolio: existing and planned locations (not the location itself) serving any
    of the location's streams, counted once each, at their usable places. Streams measured in
    dwellings are left out when the location also serves a stream measured in places. With
    ``lookahead_months`` > 0 the capacity of a month is the least capacity of that month and the
    ones after it (the portfolio as planned: what the decision rule may rely on).
    """
    from model.locations import capacity

    streams = [s for s in register.streams(location_id) if s in need.streams]
    if not streams:
        raise InputError(f"location `{location_id}`: its streams are not in the simulated need")
    places = [s for s in streams if need.units.get(s) == "places"]
    streams = places or streams
    total = sum(need.streams[s] for s in streams)
    cap = capacity(register, case.periods, start=case.start, statuses=PORTFOLIO_STATUSES)
    rest = np.zeros(len(case.periods))
    for i, loc in enumerate(cap.ids):
        if loc != location_id and set(cap.streams[i]) & set(streams):
            rest += cap.places[i]
    if lookahead_months > 0:
        padded = np.concatenate([rest, np.full(lookahead_months, rest[-1])])
        rest = np.lib.stride_tricks.sliding_window_view(padded, lookahead_months + 1).min(axis=1)
    return np.asarray(total, dtype=float) - rest


def business_case_inputs(
    case: Case, register: Register, location_id: str, need: Need
) -> BusinessCaseInputs:
    """Need, income, rate and recourse for a location's business case over the settings' horizon."""
    settings = case.business_case
    row = register.table.loc[location_id]
    periods = months_in_horizon(case.start, settings.horizon_years)
    notes: list[str] = []
    target = settings.target_places or float(row["capacity_places"]) * float(
        row["occupancy_norm_share"]
    )
    excess = extend_months(
        excess_need_places(case, register, location_id, need),
        len(periods),
        settings.need_beyond_horizon,
    )
    if len(periods) > len(case.periods):
        what = "de laatste maand per pad" if settings.need_beyond_horizon == "last" else "nul"
        notes.append(
            f"AANNAME: behoefte na {case.periods[-1]} (einde van de simulatie) = {what} "
            f"(business_case.need_beyond_horizon)."
        )
    streams = register.streams(location_id)
    if "ukraine" in streams:
        norm = normbedrag_per_month(periods)
        income = norm.eur_per_place_day
        later = [y for y in norm.assumed_years if y > (norm.last_known_year or 0)]
        if later:
            notes.append(
                f"AANNAME: normbedrag voor {later[0]}–{later[-1]} niet gepubliceerd; de waarde van "
                f"{norm.last_known_year} (€ {norm.eur_per_place_day[-1]:.0f} per plaats-dag) is doorgetrokken "
                "(data/reference/normbedrag.csv)."
            )
        notes.append(
            "AANNAME: normbedrag in euro's van het jaar zelf, niet geïndexeerd naar het prijsjaar."
        )
    elif "asylum" in streams:
        income = np.full(len(periods), float(row["coa_rent_eur_per_place_year"]) / 365.25)
        notes.append(
            "AANNAME: COA-huur per plaats-jaar uit het register, toegerekend per bezette plaats-dag."
        )
    else:
        income = np.zeros(len(periods))
        notes.append(
            "Geen rijksvergoeding voor deze doelgroep meegenomen (statushouders: huur niet meegenomen)."
        )
    recourse = settings.recourse_eur_per_place_day
    if recourse is None and not any(municipal_recourse(s) for s in streams):
        recourse = 0.0
        notes.append(
            "Opvang die een alternatief niet kan bieden kost de gemeente geen hotelplaatsen: voor deze "
            "doelgroep draagt het COA de opvang (data/reference/stream_accounts.csv); een tekort is een "
            "taak die niet gehaald wordt."
        )
    elif recourse is None:
        recourse, key = recourse_eur_per_place_day("hotel")
        notes.append(
            f"Opvang die een alternatief niet kan bieden gaat naar hotelplaatsen à € {recourse:.0f} per plaats-dag: "
            f"wat een COA-hotelplaats het Rijk kostte ({citation(key)}; onzeker)."
        )
    else:
        notes.append(
            f"AANNAME: opvang buiten het alternatief kost € {recourse:.0f} per plaats-dag (instelling)."
        )
    notes.append(
        f"Discontovoet {case.discount_rate_real_share * 100:.2f}".replace(".", ",")
        + f"% reëel per jaar; bedragen in prijzen van {case.price_year}."
    )
    signal = None
    if settings.decision_rule_lookahead_months > 0:
        ahead = excess_need_places(
            case, register, location_id, need, settings.decision_rule_lookahead_months
        )
        signal = extend_months(ahead, len(periods), settings.need_beyond_horizon)
    return BusinessCaseInputs(
        rule_signal_places=signal,
        need_places=np.clip(excess, 0.0, target),
        periods=periods,
        income_eur_per_place_day=np.asarray(income, dtype=float),
        discount_rate_share=case.discount_rate_real_share,
        recourse_eur_per_place_day=float(recourse),
        target_places=float(target),
        recourse_reimbursed=settings.recourse_reimbursed,
        notes=tuple(notes),
    )


def _num(row: pd.Series, key: str) -> float:
    v = row.get(key)
    return 0.0 if v is None or pd.isna(v) else float(v)


def _months_from_start(case: Case, month: pd.Period) -> int:
    return int((month - pd.Period(case.start, freq="M")).n)


def location_opening_month(case: Case, row: pd.Series) -> int:
    """Months from the case's start until the location opens (available_from and lead time)."""
    from model.locations import opening_month

    return max(_months_from_start(case, opening_month(row, pd.Period(case.start, freq="M"))), 0)


def build_alternatives(
    case: Case, row: pd.Series, inputs: BusinessCaseInputs
) -> tuple[list[Alternative], list[str]]:
    """The alternatives for the same need: the location bought (rule and fixed plan) and the standard ones.

    The location: its usable places (capacity × occupancy norm; need beyond them and beyond the
    target goes to recourse), capex = purchase + conversion + furnishing, its fixed and variable opex, value at
    the horizon = market value (else the purchase price), and its reuse. Lease, Leegstandwet and flex
    units use the location's running costs plus their own rent or capex; each is included only when
    its ASSUMPTION parameter is set in the case. The hotel uses the KHN rate (data/reference).
    """
    s: BusinessCaseSettings = case.business_case
    notes: list[str] = []
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
        _num(row, "fixed_opex_eur_per_year"),
        _num(row, "variable_opex_eur_per_place_day"),
    )
    purchase = _num(row, "purchase_price_eur")
    capex = purchase + _num(row, "conversion_capex_eur") + _num(row, "furnishing_capex_eur")
    market = _num(row, "market_value_eur")
    if market <= 0:
        market = purchase
        notes.append(
            "AANNAME: geen marktwaarde in het register; de aankoopprijs geldt als waarde van het pand."
        )
    registered = [o for o in str(row.get("reuse_options") or "").split(";") if o in REUSE_OPTIONS]
    option = s.reuse_option or (
        registered[0]
        if registered
        else ("relocate_units" if row["kind"] == "flex_units" else "sale")
    )
    if option not in s.reuse:
        notes.append(
            f"AANNAME: geen parameters voor hergebruik `{option}` in de case; standaardwaarden (nul) gebruikt."
        )
    units = purchase if row["kind"] == "flex_units" else 0.0
    reuse = reuse_spec(
        option, s.reuse.get(option), market_value_eur=market, units_investment_eur=units
    )
    closing = _closing_term(case, row, opening)
    usable = _num(row, "capacity_places") * _num(row, "occupancy_norm_share")
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
        Alternative(
            name="buy_rule",
            label="Kopen, hergebruik via beslisregel",
            plan="rule",
            **common,
        ),
        Alternative(
            name="buy_fixed",
            label="Kopen, hergebruik op vaste datum",
            plan="fixed",
            **common,
        ),
        Alternative(
            name="hotel",
            label="Hotel",
            kind="hotel",
            capacity_places=target,
            # one price for a hotel place: the same all-in figure as the recourse
            variable_opex_eur_per_place_day=s.hotel_eur_per_place_day
            or recourse_eur_per_place_day("hotel")[0],
        ),
    ]
    if s.lease_rent_eur_per_place_year is not None:
        alts.append(
            Alternative(
                name="lease",
                label="Lange huur",
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
        notes.append(
            "Geen huuralternatief: business_case.lease_rent_eur_per_place_year is niet ingevuld."
        )
    if s.flex_places_per_unit is not None:
        n_units = math.ceil(target / s.flex_places_per_unit)
        invest = n_units * scalar("flex_unit_cost_eur_2022")
        alts.append(
            Alternative(
                name="flex_units",
                label=f"Flexwoningen ({n_units} units)",
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
            f"Flexwoningen: € {_fmt(scalar('flex_unit_cost_eur_2022'))} per unit (prijspeil 2022, niet geïndexeerd; "
            f"{citation('flex_unit_cost_eur_2022')}); verplaatsen kost {scalar('flex_relocation_cost_share'):.0%} "
            f"({citation('flex_relocation_cost_share')}), restwaarde {scalar('flex_residual_value_share'):.0%} "
            f"({citation('flex_residual_value_share')}); standtijd max {scalar('flex_standing_years_max'):.0f} jaar."
        )
    if s.leegstandwet_rent_eur_per_year is not None:
        years = scalar("leegstandwet_max_years_non_residential")
        alts.append(
            Alternative(
                name="leegstandwet",
                label=f"Leegstandwet (max {years:.0f} jaar)",
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
            f"Leegstandwet: ten hoogste {years:.0f} jaar voor een gebouw zonder woonbestemming "
            f"({citation('leegstandwet_max_years_non_residential')}); daarna hotelplaatsen."
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
    used = sorted({a.reuse.option for a in alts if a.reuse is not None})
    notes.extend(settings_assumptions(s, used))
    names = [a.name for a in alts]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise InputError(
            f"business_case.alternatives: names {dupes} are already used; choose other names"
        )
    return alts, notes


def settings_assumptions(settings: BusinessCaseSettings, reuse_options: list[str]) -> list[str]:
    """The user parameters of the business case that are assumptions, with the values used (Dutch)."""
    out = []
    for name, info in type(settings).model_fields.items():
        value = getattr(settings, name)
        if value is not None and "ASSUMPTION" in (info.description or ""):
            out.append(f"AANNAME business_case.{name} = {_fmt(value)}")
    for option in reuse_options:
        params = settings.reuse.get(option)
        if params is not None:
            values = ", ".join(
                f"{k} = {_fmt(v)}" for k, v in params.model_dump().items() if v is not None
            )
            out.append(f"AANNAME business_case.reuse.{option}: {values}")
    return out


def _fmt(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}".replace(",", ".")
    return str(value)


def _closing_term(case: Case, row: pd.Series, opening: int) -> int | None:
    """Months the location may stay in reception after opening (its available_until), None: no limit."""
    from model.locations import closing_month

    close = closing_month(row)
    if close is None:
        return None
    return max(_months_from_start(case, close) + 1 - opening, 0)
