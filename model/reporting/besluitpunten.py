"""The besluitpunten of the advice: decisions of the college and proposals to the raad, each with a
date after the peildatum and one line of argument, every number taken from the run.

Dates: a decision the plan needed earlier than the month after the peildatum is due in that month
("al nodig"); the budget is asked for the first decision; the need is the starting point until the
next MPP (April and September); the signposts are reported half-yearly from six months on.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from model.reporting.style import euro, percent, period_name, stream_name, thousands

MPP_MONTHS = (4, 9)
"""Months in which the Rijk publishes the MPP (the signposts of the advice)."""


def peildatum(advice: Any) -> pd.Period:
    """The peildatum of the advice's case, as a month."""
    return pd.Period(str(advice.case.peildatum), freq="M")


def due(month: str | pd.Period | None, peil: pd.Period) -> tuple[pd.Period, bool]:
    """The month a decision is due: ``month``, or the month after the peildatum when that is later
    (then the second value is True: the decision is overdue by the plan's lead times)."""
    first = peil + 1
    if month is None or str(month) in ("", "nan", "NaT"):
        return first, False
    when = pd.Period(str(month), freq="M")
    return (when, False) if when >= first else (first, True)


def next_mpp(peil: pd.Period) -> pd.Period:
    """The first MPP after the peildatum."""
    for year in (peil.year, peil.year + 1):
        for m in MPP_MONTHS:
            p = pd.Period(year=year, month=m, freq="M")
            if p > peil:
                return p
    raise AssertionError("unreachable")


def _name(advice: Any, location_id: str) -> str:
    reg = advice.portfolio.register.table
    return str(reg.at[location_id, "name"]) if location_id in reg.index else str(location_id)


def _opened_text(advice: Any, opened: pd.DataFrame, language: str) -> str:
    """'Hotel De Poort (hotel, 40 plaatsen, 2e kwartaal 2026); …' for the locations the plan opens."""
    from model.reporting.maps import kind_label

    reg = advice.portfolio.register.table
    places = "places" if language == "en" else "plaatsen"
    parts = []
    for r in opened.itertuples():
        kind = str(reg.at[r.location_id, "kind"]) if r.location_id in reg.index else ""
        what = f"{kind_label(kind, language)}, " if kind else ""
        parts.append(
            f"{r.name} ({what}{thousands(r.places)} {places}, {period_name(r.quarter, language)})"
        )
    return "; ".join(parts)


def _need_point(advice: Any, language: str) -> str:
    s = advice.results.summary["scenarios"][advice.scenario]["streams"]
    end = advice.portfolio.need.periods[-1].year
    mpp = period_name(str(next_mpp(peildatum(advice))), language)
    ua, asy, sh = (
        thousands(s[k][q])
        for k, q in (
            ("ukraine", "start_p50"),
            ("asylum", "start_p50"),
            ("status_holders", "end_p50"),
        )
    )
    task = _taakstelling(advice)
    if language == "en":
        tk = (
            f"; a taakstelling of about {thousands(task)} status holders per half-year"
            if task
            else ""
        )
        return (
            f"The college takes note of the need — now {ua} places for Ukrainians, {asy} asylum places "
            f"(Spreidingswet) and by {end} {sh} homes for status holders beyond the regular allocation "
            f"(median{tk}) — and takes it "
            f"as the starting point until the recalibration after the MPP of {mpp}. Argument: the "
            "figures follow the published national series up to the peildatum and the model only after it."
        )
    tk = (
        f"; een taakstelling van ongeveer {thousands(task)} statushouders per halfjaar"
        if task
        else ""
    )
    return (
        f"Het college neemt kennis van de behoefte — nu {ua} plaatsen voor Oekraïners, {asy} "
        f"asielplaatsen (Spreidingswet) en in {end} {sh} woningen voor statushouders bovenop de "
        f"reguliere toewijzing (mediaan{tk}) — en neemt die als uitgangspunt tot de herijking na de MPP van {mpp}. Argument: "
        "de cijfers volgen de gepubliceerde landelijke reeksen tot de peildatum en pas daarna het model."
    )


def _taakstelling(advice: Any) -> float | None:
    """The municipal taakstelling (median persons) of the first whole half-year in the horizon."""
    t = advice.results.tables.get("taakstelling")
    if t is None or t.empty:
        return None
    t = t[(t["scenario"] == advice.scenario) & (t["level"] == "municipal")]
    t = t[t["months_in_horizon"] >= 6]
    return float(t["p50"].iloc[0]) if len(t) else None


def _plan_point(advice: Any, language: str) -> tuple[str, pd.Period]:
    """The besluitpunt on the plan and the month its first decision is due."""
    from model.reporting.advice import _chances_text, _without_text, plan_facts

    f = plan_facts(advice)
    en = language == "en"
    peil = peildatum(advice)
    window = period_name(f["window"], language)
    if f["opened"].empty and not f["candidates"]:  # nothing to plan with: complete the register
        when = period_name(str(peil + 3), language)
        text = (
            "The college commissions completing the location register with the locations the "
            f"municipality is considering, by {when}. Argument: with the current locations the chance "
            f"of a shortfall from {window} on is {_without_text(advice, 'en')}, and the register holds "
            "no candidate a plan could open."
            if en
            else "Het college geeft opdracht het locatieregister aan te vullen met de locaties die de "
            f"gemeente overweegt, uiterlijk in {when}. Argument: met de huidige locaties is de kans op "
            f"een tekort vanaf {window} {_without_text(advice, 'nl')}, en het register bevat geen "
            "kandidaat die een plan kan openen."
        )
        return text, peil + 1
    opened = f["opened"]
    first_row = None
    decide = opened[opened["decide_by"].astype(str).str.len() > 0]
    decide = decide[decide["decide_by"].astype(str) != "nan"]
    if len(decide):
        first_row = decide.sort_values("decide_by").iloc[0]
    when, overdue = due(first_row["decide_by"] if first_row is not None else None, peil)
    gone = ", ".join(
        f"{r.name} ({period_name(r.quarter, language)})" for r in f["gone"].itertuples()
    )
    short = ", ".join(stream_name(x, language) for x in f["short_of_target"])
    invest = euro(f["capex_eur"] / 1e6, 1)
    first_name = str(first_row["name"]) if first_row is not None else ""
    month = period_name(str(when), language)
    if en:
        first = (
            f"; the first decision ({first_name}) is due now, by {month} at the latest"
            if overdue
            else f"; the first decision ({first_name}) is due by {month}"
        )
        text = (
            f"The college adopts the recommended plan: to open {_opened_text(advice, opened, 'en')}"
            + (f", and to close or repurpose {gone}" if gone else "")
            + f"; investment {invest} million{first}. Argument: the chance of a shortfall from "
            f"{window} on falls, without → with the plan, {_chances_text(advice, 'en')}, at the "
            "lowest expected cost that reaches the reliability asked."
        )
        if short:
            text += (
                f" The reliability asked cannot be reached for {short} with these locations: the "
                "college commissions the search for further candidates."
            )
        return text, when
    first = (
        f"; het eerste besluit ({first_name}) is al nodig: uiterlijk in {month}"
        if overdue
        else f"; het eerste besluit ({first_name}) valt uiterlijk in {month}"
    )
    text = (
        f"Het college stemt in met het aanbevolen plan: {_opened_text(advice, opened, 'nl')} te "
        "openen"
        + (f", en {gone} te sluiten of te herbestemmen" if gone else "")
        + f"; investering {invest} mln{first}. Argument: de kans op een tekort vanaf {window} "
        f"daalt, zonder → met plan, {_chances_text(advice, 'nl')}, tegen de laagste verwachte "
        "kosten die de gevraagde betrouwbaarheid halen."
    )
    if short:
        text += (
            f" De gevraagde betrouwbaarheid is voor {short} met deze locaties niet haalbaar: het "
            "college geeft opdracht aanvullende locaties te zoeken."
        )
    return text, when


def _business_case_point(advice: Any, language: str) -> str:
    from model.reporting.advice import plan_facts, purchases_in_plan
    from model.reporting.business_case import alternative_labels, ranking

    bc = advice.business_case
    peil = peildatum(advice)
    best = alternative_labels(bc)[ranking(bc)[0]]
    name = _name(advice, bc.location_id)
    decide_by = None
    if advice.plan is not None:
        opened = plan_facts(advice)["opened"].set_index("location_id")
        if bc.location_id in opened.index:
            decide_by = opened.at[bc.location_id, "decide_by"]
    when = period_name(str(due(decide_by, peil)[0]), language)
    left = [_name(advice, i) for i in purchases_in_plan(advice) if i != bc.location_id]
    en = language == "en"
    order = ranking(bc)
    cost = {n: -float(bc.results[n].npv_eur.mean()) for n in order[:2]}
    close = len(order) > 1 and cost[order[1]] - cost[order[0]] < 0.05 * abs(cost[order[0]])
    in_plan = decide_by is not None
    buys = order[0].startswith("buy")
    second = alternative_labels(bc)[order[1]] if len(order) > 1 else ""
    gap = euro((cost[order[1]] - cost[order[0]]) / 1e6, 1) if len(order) > 1 else ""
    if en:
        text = (
            f"The college chooses for {name} the alternative '{best}' and settles its reuse after "
            f"the reception, by {when}. Argument: it is the cheapest on average over all futures "
            "(see the business case)."
        )
        if close:
            text += (
                f" The next one, '{second}', costs only {gap} million more: the choice is close, "
                "so other arguments (control over the building, reuse, speed) may decide."
            )
        if in_plan and not buys:
            text += (
                " The plan counts the building as a purchase; with this alternative its places "
                "and date stay the same, only the form changes."
            )
        if left:
            text += (
                f" The plan also buys {', '.join(left)}; their business case is computed before "
                "the purchase is decided."
            )
        return text
    text = (
        f"Het college kiest voor {name} het alternatief '{best}' en legt de herbestemming na de "
        f"opvang vast, uiterlijk in {when}. Argument: het is gemiddeld over alle toekomsten het "
        "goedkoopst (zie de business case)."
    )
    if close:
        text += (
            f" Het volgende, '{second}', kost maar {gap} mln meer: de keuze is nipt, dus andere "
            "argumenten (zeggenschap over het pand, hergebruik, snelheid) kunnen de doorslag geven."
        )
    if in_plan and not buys:
        text += (
            " Het plan rekent het pand als aankoop; met dit alternatief blijven de plaatsen en de "
            "datum gelijk, alleen de vorm verandert."
        )
    if left:
        text += (
            f" Het plan koopt ook {', '.join(left)}; daarvan wordt de business case doorgerekend "
            "vóór het besluit tot aankoop."
        )
    return text


def _budget_point(advice: Any, language: str, when: pd.Period) -> str:
    from model.reporting.advice import money_facts

    m = lambda x: euro(x / 1e6, 1)  # noqa: E731
    facts = money_facts(advice)
    band = f"{m(facts['p10'])}–{m(facts['p90'])}"
    planned = bool(facts["with_plan"])
    years = f"{advice.portfolio.need.periods[0].year}–{advice.portfolio.need.periods[-1].year}"
    month = period_name(str(when), language)
    emergency = facts.get("emergency_p50", 0.0) > 0.1 * max(facts["p50"], 1.0)
    if language == "en":
        what = "for the recommended plan" if planned else "for the current locations"
        return (
            f"The college proposes to the council to reserve a net budget of {m(facts['p50'])} million "
            f"for {years} (80% band {band} million) {what}, after the national compensation, in a "
            f"budget amendment by {month}"
            + (
                f"; {m(facts['emergency_p50'])} million of it is emergency places for need the own "
                "places cannot hold"
                if emergency
                else ""
            )
            + ". Argument: the first decision of the plan needs the credit; the band shows what "
            "the inflow can add."
        )
    what = "voor het aanbevolen plan" if planned else "voor de huidige locaties"
    return (
        f"Het college stelt de raad voor een netto budget van {m(facts['p50'])} mln te reserveren "
        f"voor {years} (80%-band {band} mln) {what}, na de vergoeding van het Rijk, met een "
        f"begrotingswijziging uiterlijk in {month}"
        + (
            f"; daarvan is {m(facts['emergency_p50'])} mln noodopvang voor wie de eigen plaatsen "
            "niet kunnen opvangen"
            if emergency
            else ""
        )
        + ". Argument: het eerste besluit van het plan vraagt het krediet; de band laat zien wat "
        "de instroom kan toevoegen."
    )


def _signpost_point(advice: Any, language: str) -> str:
    first = period_name(str(peildatum(advice) + 6), language)
    if language == "en":
        return (
            "The college has the signposts of this advice reported half-yearly, first in "
            f"{first}, and the advice recalibrated after each MPP. Argument: the inflow moves faster "
            "than a plan for ten years; the signposts say when a step is due."
        )
    return (
        "Het college laat de signaalwaarden van dit advies halfjaarlijks rapporteren, voor het eerst "
        f"in {first}, en het advies na elke MPP herijken. Argument: de instroom beweegt sneller dan "
        "een plan voor tien jaar; de signaalwaarden zeggen wanneer een stap nodig is."
    )


def _candidates_point(advice: Any, language: str) -> str:
    """Without a plan: prepare the candidate locations."""
    from model.reporting.advice import _risk

    reg = advice.portfolio.register.table
    candidates = reg[reg["status"] == "candidate"]
    _, p_short, _ = _risk(advice)
    p_with = _risk(advice, "with_candidates")[1]
    when = period_name(str(peildatum(advice) + 3), language)
    n, places = len(candidates), thousands(candidates["capacity_places"].sum())
    if language == "en":
        return (
            f"The college prepares the {n} candidate locations ({places} places), by {when}. "
            f"Argument: they bring the highest chance of a shortfall in a single month down from "
            f"{percent(p_short)} to {percent(p_with)}."
        )
    return (
        f"Het college neemt de {n} kandidaat-locaties ({places} plaatsen) in voorbereiding, "
        f"uiterlijk in {when}. Argument: daarmee daalt de hoogste kans op een tekort in één maand "
        f"van {percent(p_short)} naar {percent(p_with)}."
    )


def decision_points(advice: Any, language: str = "nl") -> list[str]:
    """The besluitpunten: decisions of the college and proposals to the raad, each with a date
    after the peildatum and one line of argument."""
    items = [_need_point(advice, language)]
    when = peildatum(advice) + 1
    if advice.plan is not None:
        text, when = _plan_point(advice, language)
        items.append(text)
    else:
        items.append(_candidates_point(advice, language))
    if advice.business_case is not None:
        items.append(_business_case_point(advice, language))
    items.append(_budget_point(advice, language, when))
    items.append(_signpost_point(advice, language))
    return items
