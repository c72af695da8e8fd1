"""The column dictionary of the workbook: per column its Dutch and English label, unit, kind and meaning.

A recorded table names its columns by code (``p50``, ``capex_eur``) or, for tables shown in the
report, already in words (``signaal``, ``Uitgangspunt``); :func:`column` finds the entry by either.
The workbook writes the label of the report language as the header, converts the cells by the
entry's ``kind`` (codes to words, months to dates, numbers with a number format) and documents every
column on its "Kolommen" sheet. A column without an entry keeps its recorded name and has no meaning
on that sheet (the tests fail on it).
"""

from __future__ import annotations

from typing import NamedTuple

UNITS: dict[str, tuple[str, str]] = {
    "text": ("tekst", "text"),
    "row": ("zie kolom Eenheid", "see column Unit"),
    "places": ("plaatsen", "places"),
    "persons": ("personen", "persons"),
    "eur": ("euro", "euro"),
    "eur_m": ("miljoen euro", "million euro"),
    "eur_day": ("euro per plaats per dag", "euro per place per day"),
    "share": ("aandeel (procent)", "share (percent)"),
    "month": ("maand", "month"),
    "months": ("maanden", "months"),
    "unit_months": ("plaatsmaanden of woningmaanden", "place-months or dwelling-months"),
    "quarter": ("kwartaal (eerste maand)", "quarter (its first month)"),
    "half_year": ("halfjaar", "half-year"),
    "year": ("jaar", "year"),
    "date": ("datum", "date"),
    "per_1000": ("plaatsen per 1.000 inwoners", "places per 1,000 inhabitants"),
    "score": ("score (0 slecht – 1 best)", "score (0 worst – 1 best)"),
    "rank": ("rangnummer", "rank"),
    "count": ("aantal", "count"),
    "yes_no": ("ja/nee", "yes/no"),
    "as_row": ("zie kolom Eenheid van de waarde", "see column Unit of the value"),
}
"""Unit code → (Dutch, English) words for the "Kolommen" sheet and the contents sheet."""


class Column(NamedTuple):
    """One column of the dictionary.

    ``kind`` says how the workbook writes its cells: ``text``; ``code:<vocabulary>`` (a code shown
    as its report word, see :mod:`onderdak.reporting.workbook_values`); ``month`` (``2035-12`` → a date
    shown as a month); ``quarter`` (``2026Q4`` → the date of its first month); ``half_year``;
    ``date``; ``value`` (a number when it reads as one, else text); ``bool``; or a number:
    ``int``, ``num`` (one decimal), ``eur``, ``eur_m``, ``eur_day``, ``share``, ``score``.
    """

    code: str
    nl: str
    en: str
    unit: str
    about_nl: str
    about_en: str
    kind: str = "num"
    aliases: tuple[str, ...] = ()

    def label(self, language: str | None = "nl") -> str:
        """The column's header in the report language."""
        return self.en if language == "en" else self.nl

    def about(self, language: str | None = "nl") -> str:
        """The column's meaning in the report language."""
        return self.about_en if language == "en" else self.about_nl


def _c(code, nl, en, unit, about_nl, about_en, kind="num", *aliases):
    return Column(code, nl, en, unit, about_nl, about_en, kind, tuple(aliases))


_Q = "over de gesimuleerde paden"
_QE = "over the simulated paths"
ENTRIES: tuple[Column, ...] = (
    # -- who, what, when ---------------------------------------------------------------------
    _c("scenario", "Scenario", "Scenario", "text", "Het scenario van de landelijke instroom.", "The scenario of the national inflow.", "code:scenario"),
    _c("stream", "Doelgroep", "Target group", "text", "Oekraïners (GOO), asielzoekers (COA) of statushouders (taakstelling).", "Ukrainians, asylum seekers or status holders.", "code:stream", "doelgroep", "target group"),
    _c("unit", "Eenheid", "Unit", "text", "Waarin de doelgroep wordt geteld: plaatsen, woningen of personen.", "What the target group is counted in: places, dwellings or persons.", "code:unit", "eenheid"),
    _c("period", "Maand", "Month", "month", "De maand waarop de cijfers slaan.", "The month the figures refer to.", "month"),
    _c("year", "Jaar", "Year", "year", "Het begrotingsjaar.", "The budget year.", "year"),
    _c("half_year", "Halfjaar", "Half-year", "half_year", "Het halfjaar van de taakstelling.", "The half-year of the housing target.", "half_year"),
    _c("portfolio", "Portefeuille", "Portfolio", "text", "Welke locaties meetellen: bestaand en gepland, met kandidaten, zonder of met het plan.", "Which locations count: existing and planned, with candidates, without or with the plan.", "code:portfolio"),
    _c("level", "Niveau", "Level", "text", "Landelijk, de gemeente, of de achterstand van de gemeente aan het eind van het halfjaar.", "National, the municipality, or the municipality's backlog at the end of the half-year.", "code:level"),
    _c("source", "Herkomst", "Origin", "text", "Waar het cijfer vandaan komt (model: berekend door Onderdak).", "Where the figure comes from (model: computed by Onderdak).", "code:source"),
    _c("months_in_horizon", "Maanden in de horizon", "Months in the horizon", "months", "Hoeveel maanden van het halfjaar binnen de rekenperiode vallen.", "How many months of the half-year fall inside the horizon.", "int"),
    # -- quantiles -----------------------------------------------------------------------------
    _c("mean", "Gemiddelde", "Mean", "row", f"Het gemiddelde {_Q}.", f"The mean {_QE}.", "num"),
    _c("p05", "P5", "P5", "row", f"De 5%-waarde {_Q}: 5% van de paden ligt lager.", f"The 5th percentile {_QE}.", "num"),
    _c("p10", "P10", "P10", "row", f"De 10%-waarde {_Q}: ondergrens van de 80%-band.", f"The 10th percentile {_QE}: lower edge of the 80% band.", "num"),
    _c("p50", "Mediaan", "Median", "row", f"De middelste waarde {_Q} (50%).", f"The middle value {_QE} (50th percentile).", "num"),
    _c("p90", "P90", "P90", "row", f"De 90%-waarde {_Q}: bovengrens van de 80%-band.", f"The 90th percentile {_QE}: upper edge of the 80% band.", "num"),
    _c("p95", "P95", "P95", "row", f"De 95%-waarde {_Q}: 5% van de paden ligt hoger.", f"The 95th percentile {_QE}.", "num"),
    # -- shortfall risk --------------------------------------------------------------------------
    _c("first_month_risk_over_10pct", "Eerste maand kans op tekort > 10%", "First month shortfall chance > 10%", "month", "De eerste maand waarin meer dan 10% van de paden een tekort heeft (leeg: geen).", "The first month in which more than 10% of the paths fall short (empty: none).", "month"),
    _c("max_shortfall_probability_share", "Hoogste kans op tekort in een maand", "Highest monthly shortfall chance", "share", "De hoogste kans op een tekort in één maand.", "The highest chance of a shortfall in any one month.", "share"),
    _c("months_with_risk_over_10pct", "Maanden met kans op tekort > 10%", "Months with shortfall chance > 10%", "months", "Aantal maanden waarin meer dan 10% van de paden een tekort heeft.", "Months in which more than 10% of the paths fall short.", "int"),
    _c("shortfall_unit_months_mean", "Tekort, gemiddeld (plaatsmaanden)", "Shortfall, mean (place-months)", "unit_months", "Het tekort opgeteld over de horizon, gemiddeld over de paden.", "The shortfall summed over the horizon, mean over the paths.", "num"),
    _c("shortfall_unit_months_p50", "Tekort, mediaan (plaatsmaanden)", "Shortfall, median (place-months)", "unit_months", "Het tekort opgeteld over de horizon, mediaan over de paden.", "The shortfall summed over the horizon, median over the paths.", "num"),
    _c("shortfall_unit_months_p90", "Tekort, P90 (plaatsmaanden)", "Shortfall, P90 (place-months)", "unit_months", "Het tekort opgeteld over de horizon, 90%-waarde over de paden.", "The shortfall summed over the horizon, 90th percentile over the paths.", "num"),
    _c("empty_unit_months_mean", "Leegstand, gemiddeld (plaatsmaanden)", "Empty capacity, mean (place-months)", "unit_months", "Betaalde, onbezette capaciteit opgeteld over de horizon.", "Paid, unoccupied capacity summed over the horizon.", "num"),
    _c("need_unit_months_mean", "Behoefte, gemiddeld (plaatsmaanden)", "Need, mean (place-months)", "unit_months", "De behoefte opgeteld over de horizon.", "The need summed over the horizon.", "num"),
    # -- the plan --------------------------------------------------------------------------------
    _c("location_id", "Locatiecode", "Location code", "text", "De code van de locatie in het locatieregister.", "The location's code in the register.", "text"),
    _c("name", "Locatie", "Location", "text", "De naam van de locatie.", "The location's name.", "text", "naam"),
    _c("wijk_code", "Wijkcode", "District code", "text", "De CBS-code van de wijk.", "The CBS code of the district.", "text"),
    _c("wijk_name", "Wijk", "District", "text", "De naam van de wijk.", "The district's name.", "text"),
    _c("kind", "Soort", "Kind", "text", "Het soort locatie (hotel, aankoop, flexwoningen, …).", "The kind of location (hotel, purchase, flex units, …).", "code:kind"),
    _c("status", "Status", "Status", "text", "Bestaand, gepland of kandidaat.", "Existing, planned or candidate.", "code:status"),
    _c("action", "Actie", "Action", "text", "Wat het plan met de locatie doet: behouden, openen, sluiten, herbestemmen of niet gebruiken.", "What the plan does with the location: keep, open, close, convert or not use.", "code:action", "actie"),
    _c("quarter", "Kwartaal", "Quarter", "quarter", "Het kwartaal waarin de actie ingaat (als datum: de eerste dag van het kwartaal).", "The quarter the action takes effect (as a date: its first day).", "quarter", "kwartaal"),
    _c("decide_by", "Besluit uiterlijk", "Decide by", "month", "De laatste maand om te besluiten, gegeven de doorlooptijd (leeg: geen besluit nodig).", "The last month to decide, given the lead time (empty: no decision needed).", "month", "besluit uiterlijk"),
    _c("until", "Tot en met", "Until", "quarter", "Het laatste kwartaal waarin de locatie in gebruik is.", "The last quarter the location is in use.", "quarter"),
    _c("places", "Plaatsen", "Places", "places", "De capaciteit van de locatie.", "The location's capacity.", "num", "plaatsen"),
    _c("usable_places", "Bruikbare plaatsen", "Usable places", "places", "De plaatsen die na bezettingsgraad bruikbaar zijn.", "The places usable after the occupancy rate.", "num"),
    _c("streams", "Doelgroepen (plaatsen)", "Target groups (places)", "text", "Voor welke doelgroepen de plaatsen dienen, met het aantal.", "Which target groups the places serve, with their number.", "code:streams"),
    _c("capex_eur", "Investering (€)", "Investment (€)", "eur", "Aankoop, verbouwing en inrichting (prijzen van het prijsjaar).", "Purchase, conversion and furnishing (prices of the price year).", "eur", "investering (€)"),
    _c("cost_pv_eur", "Kosten, contante waarde (€)", "Cost, present value (€)", "eur", "Verwachte netto kosten van de locatie over de horizon, contant gemaakt.", "Expected net cost of the location over the horizon, discounted.", "eur"),
    _c("why", "Waarom", "Why", "text", "Waarom het plan deze actie kiest.", "Why the plan chooses this action.", "text"),
    _c("window_from", "Gemeten vanaf", "Measured from", "quarter", "Het kwartaal vanaf wanneer de kans op een tekort telt (eerste dag).", "The quarter from which the shortfall chance counts (its first day).", "quarter"),
    _c("shortfall_chance_without_plan_share", "Kans op tekort zonder plan", "Shortfall chance without the plan", "share", "Aandeel paden met in ten minste één maand een tekort, zonder het plan.", "Share of paths short in at least one month, without the plan.", "share"),
    _c("shortfall_chance_with_plan_share", "Kans op tekort met plan", "Shortfall chance with the plan", "share", "Aandeel paden met in ten minste één maand een tekort, met het plan.", "Share of paths short in at least one month, with the plan.", "share"),
    _c("reliability_share", "Betrouwbaarheid", "Reliability", "share", "Aandeel paden zonder enig tekort.", "Share of paths without any shortfall.", "share"),
    _c("reliability_asked_share", "Gevraagde betrouwbaarheid", "Reliability asked", "share", "De betrouwbaarheid die het plan moest halen.", "The reliability the plan was asked to reach.", "share"),
    _c("capacity_max_places", "Hoogste capaciteit (plaatsen)", "Highest capacity (places)", "places", "De hoogste capaciteit van het plan in het meetvenster.", "The plan's highest capacity in the window.", "num"),
    _c("need_p90_max_places", "Hoogste behoefte, P90 (plaatsen)", "Highest need, P90 (places)", "places", "De hoogste 90%-waarde van de behoefte in het meetvenster.", "The highest 90th percentile of the need in the window.", "num"),
    _c("feasible", "Haalbaar", "Feasible", "yes_no", "Of de locaties de gevraagde betrouwbaarheid kunnen halen.", "Whether the locations can reach the reliability asked.", "bool"),
    _c("expected_cost_eur", "Verwachte netto kosten (€)", "Expected net cost (€)", "eur", "Verwachte netto kosten van het plan over de horizon, contante waarde.", "Expected net cost of the plan over the horizon, present value.", "eur"),
    _c("expected_cost_reduced_eur", "Verwachte kosten, scenariotrekking (€)", "Expected cost, scenario sample (€)", "eur", "Dezelfde kosten op de kleinere set scenario's waarmee het plan is berekend.", "The same cost on the smaller set of scenarios the plan was computed on.", "eur"),
    _c("objective_eur", "Doelwaarde (€)", "Objective (€)", "eur", "Wat de rekenmethode minimaliseert: kosten plus de boete op tekort.", "What the optimiser minimises: cost plus the shortfall penalty.", "eur"),
    _c("places_opened", "Geopende plaatsen", "Places opened", "places", "Plaatsen die het plan opent.", "Places the plan opens.", "num"),
    _c("shortfall_chance_ukraine_share", "Kans op tekort Oekraïners", "Shortfall chance Ukrainians", "share", "Aandeel paden met een tekort voor Oekraïners.", "Share of paths short for Ukrainians.", "share"),
    _c("shortfall_chance_asylum_share", "Kans op tekort asielzoekers", "Shortfall chance asylum seekers", "share", "Aandeel paden met een tekort voor asielzoekers.", "Share of paths short for asylum seekers.", "share"),
    _c("shortfall_chance_status_holders_share", "Kans op tekort statushouders", "Shortfall chance status holders", "share", "Aandeel paden met een tekort voor statushouders.", "Share of paths short for status holders.", "share"),
    _c("reliability_asked_reached", "Gevraagde betrouwbaarheid", "Reliability asked", "text", "Of het alternatief de gevraagde betrouwbaarheid haalt, en voor welke doelgroepen niet.", "Whether the alternative reaches the reliability asked, and for which target groups not.", "text"),
    _c("note", "Uitkomst berekening", "Solver outcome", "text", "Hoe de berekening eindigde (optimaal: bewezen beste plan).", "How the computation ended (optimal: proven best plan).", "code:note"),
    # -- money -----------------------------------------------------------------------------------
    _c("line", "Post", "Line", "text", "De begrotingspost.", "The budget line.", "code:line", "post"),
    _c("mean_eur", "Gemiddelde (€)", "Mean (€)", "eur", f"Het gemiddelde {_Q}.", f"The mean {_QE}.", "eur"),
    _c("p10_eur", "P10 (€)", "P10 (€)", "eur", f"De 10%-waarde {_Q}.", f"The 10th percentile {_QE}.", "eur"),
    _c("p50_eur", "Mediaan (€)", "Median (€)", "eur", f"De mediaan {_Q}.", f"The median {_QE}.", "eur"),
    _c("p90_eur", "P90 (€)", "P90 (€)", "eur", f"De 90%-waarde {_Q}.", f"The 90th percentile {_QE}.", "eur"),
    _c("assumption", "Aanname", "Assumption", "text", "De aanname achter de post.", "The assumption behind the line.", "text"),
    _c("without_plan_p50_eur", "Zonder plan, mediaan (€)", "Without the plan, median (€)", "eur", "Totaal over de horizon zonder het plan, mediaan over de paden.", "Total over the horizon without the plan, median over the paths.", "eur"),
    _c("with_plan_p50_eur", "Met plan, mediaan (€)", "With the plan, median (€)", "eur", "Totaal over de horizon met het plan, mediaan over de paden.", "Total over the horizon with the plan, median over the paths.", "eur"),
    _c("with_plan_p10_eur", "Met plan, P10 (€)", "With the plan, P10 (€)", "eur", "Totaal met het plan, 10%-waarde over de paden.", "Total with the plan, 10th percentile over the paths.", "eur"),
    _c("with_plan_p90_eur", "Met plan, P90 (€)", "With the plan, P90 (€)", "eur", "Totaal met het plan, 90%-waarde over de paden.", "Total with the plan, 90th percentile over the paths.", "eur"),
    _c("costs_eur", "Kosten (€)", "Costs (€)", "eur", "Alle uitgaven van het jaar op kasbasis (investeringen, exploitatie, personeel, noodopvang, sluiting), gemiddeld over de paden.", "All spending of the year on a cash basis, mean over the paths.", "eur"),
    _c("income_eur", "Inkomsten (€)", "Income (€)", "eur", "Normbedrag, COA-vergoeding, Spreidingswet- en statushoudersbijdragen, gemiddeld over de paden.", "Normbedrag, COA payment, Spreidingswet and status-holder contributions, mean over the paths.", "eur"),
    _c("net_cost_eur", "Netto kosten (€)", "Net cost (€)", "eur", "Kosten min inkomsten (kasbasis), gemiddeld over de paden.", "Costs less income (cash basis), mean over the paths.", "eur"),
    _c("net_cost_p10_eur", "Netto kosten, P10 (€)", "Net cost, P10 (€)", "eur", "Netto kosten, 10%-waarde over de paden.", "Net cost, 10th percentile over the paths.", "eur"),
    _c("net_cost_p90_eur", "Netto kosten, P90 (€)", "Net cost, P90 (€)", "eur", "Netto kosten, 90%-waarde over de paden.", "Net cost, 90th percentile over the paths.", "eur"),
    _c("net_cost_capital_basis_eur", "Netto lasten, begrotingsbasis (€)", "Net charges, budget basis (€)", "eur", "Als netto kosten, met kapitaallasten in plaats van investeringen (zoals de begroting rekent).", "As net cost, with capital charges instead of investments (as the budget counts).", "eur"),
    _c("budget_without_eur", "Zonder plan (€)", "Without plan (€)", "eur", "Netto lasten op de begroting zonder het plan (kapitaallasten in plaats van investeringen), mediaan.", "Net charges on the budget without the plan (capital charges instead of investments), median.", "eur"),
    _c("budget_with_eur", "Met plan (€)", "With plan (€)", "eur", "Netto lasten op de begroting met het plan, mediaan.", "Net charges on the budget with the plan, median.", "eur"),
    _c("budget_difference_eur", "Verschil (€)", "Difference (€)", "eur", "Met plan min zonder plan: de begrotingswijziging.", "With the plan less without: the budget amendment.", "eur"),
    # -- risks -------------------------------------------------------------------------------------
    _c("risk", "Risico", "Risk", "text", "Een risico of kanttekening bij het voorstel.", "A risk or caveat of the proposal.", "text"),
    _c("risk_size", "Omvang", "Size", "text", "Hoe groot het risico is, in woorden en bedragen.", "How large the risk is, in words and amounts.", "text"),
    _c("measure", "Maatregel", "Measure", "text", "De maatregel die het risico beantwoordt.", "The measure that answers the risk.", "text"),
    # -- the business case -----------------------------------------------------------------------
    _c("alternative", "Alternatief", "Alternative", "text", "Een manier om dezelfde behoefte op te vangen.", "A way to meet the same need.", "text", "alternatief"),
    _c("npv_cost_mean_eur_m", "Netto contante kosten, verwacht (€ mln)", "Net present cost, mean (€ m)", "eur_m", "Netto kosten over de horizon, contant gemaakt, gemiddeld over de paden.", "Net cost over the horizon, discounted, mean over the paths.", "eur_m", "net present cost, mean (€ m)"),
    _c("npv_cost_p10_eur_m", "10%-waarde (€ mln)", "10th percentile (€ m)", "eur_m", "Netto contante kosten, 10%-waarde over de paden.", "Net present cost, 10th percentile over the paths.", "eur_m"),
    _c("npv_cost_p90_eur_m", "90%-waarde (€ mln)", "90th percentile (€ m)", "eur_m", "Netto contante kosten, 90%-waarde over de paden.", "Net present cost, 90th percentile over the paths.", "eur_m"),
    _c("probability_cheapest_share", "Kans goedkoopst", "Chance cheapest", "share", "Aandeel paden waarin dit alternatief het goedkoopst is.", "Share of paths in which this alternative is cheapest.", "share"),
    _c("cost_per_place_day_p50_eur", "Kosten per plaats-dag, mediaan (€)", "Cost per place-day, median (€)", "eur_day", "Netto kosten per bezette plaats per dag, mediaan over de paden.", "Net cost per occupied place per day, median over the paths.", "eur_day"),
    _c("annual_net_cost_eur_m", "Netto kosten per jaar, annuïteit (€ mln)", "Net cost per year, annuity (€ m)", "eur_m", "De contante kosten als een gelijk bedrag per jaar.", "The present cost as an equal amount per year.", "eur_m"),
    # -- MCA -------------------------------------------------------------------------------------
    _c("criterion", "Criterium", "Criterion", "text", "Een criterium van de multicriteria-analyse.", "A criterion of the multi-criteria analysis.", "code:criterion"),
    _c("weight_share", "Gewicht", "Weight", "share", "Het gewicht van het criterium in de totaalscore (samen 100%).", "The criterion's weight in the total score (together 100%).", "share"),
    _c("direction", "Beter is", "Better is", "text", "Of een lagere of een hogere waarde beter scoort.", "Whether a lower or a higher value scores better.", "code:direction"),
    _c("criterion_column", "Waarde in kolom", "Value in column", "text", "De kolom van het blad MCA per locatie met de waarde van het criterium.", "The column of the MCA sheet holding the criterion's value.", "code:column"),
    _c("cost_eur_per_place_day", "Kosten per plaats per dag (€)", "Cost per place-day (€)", "eur_day", "Lopende kosten plus geannualiseerde investering per plaats per dag.", "Running cost plus annualised investment per place per day.", "eur_day"),
    _c("quality_score", "Kwaliteit (1–5)", "Quality (1–5)", "score", "Kwaliteit van de locatie volgens het register (1 laag – 5 hoog).", "The location's quality in the register (1 low – 5 high).", "num"),
    _c("capacity_places", "Capaciteit (plaatsen)", "Capacity (places)", "places", "Het aantal plaatsen van de locatie.", "The location's number of places.", "num"),
    _c("months_until_available", "Maanden tot beschikbaar", "Months until available", "months", "Doorlooptijd tot de locatie open kan.", "Lead time until the location can open.", "num"),
    _c("reuse_options_count", "Hergebruiksmogelijkheden", "Reuse options", "count", "Aantal andere bestemmingen na de opvang.", "Number of other uses after the reception.", "int"),
    _c("wijk_load_places_per_1000_persons", "Belasting wijk (per 1.000 inwoners)", "District load (per 1,000 inhabitants)", "per_1000", "Plaatsen per 1.000 inwoners in de wijk als de locatie erbij komt.", "Places per 1,000 inhabitants in the district with the location added.", "num"),
    _c("risk_score", "Risico (1–5)", "Risk (1–5)", "score", "Risico volgens het register (1 laag – 5 hoog).", "Risk in the register (1 low – 5 high).", "num"),
    *(
        _c(f"score_{k}", f"Score {nl}", f"Score {en}", "score", f"Genormaliseerde score op {nl} (0 slechtst – 1 best van de opties).", f"Normalised score on {en} (0 worst – 1 best of the options).", "score")
        for k, nl, en in (
            ("cost", "kosten", "cost"), ("quality", "kwaliteit", "quality"), ("scale", "schaal", "scale"),
            ("speed", "snelheid", "speed"), ("reuse", "hergebruik", "reuse"), ("load", "wijkbelasting", "district load"),
            ("risk", "risico", "risk"),
        )
    ),
    _c("score", "Totaalscore", "Total score", "score", "Gewogen som van de scores (gewichten: blad MCA-gewichten).", "Weighted sum of the scores (weights: sheet MCA weights).", "score"),
    _c("rank", "Rang", "Rank", "rank", "Plaats in de rangorde op de totaalscore (1 = best).", "Position in the ranking by total score (1 = best).", "int"),
    _c("rank_mean", "Gemiddelde rang bij andere gewichten", "Mean rank under other weights", "rank", "De gemiddelde rang als de gewichten willekeurig rond de gekozen waarden variëren.", "The mean rank when the weights vary randomly around the chosen values.", "num"),
    _c("rank_first_share", "Kans op de eerste plaats", "Chance of ranking first", "share", "Aandeel gewichtstrekkingen waarin de optie als eerste eindigt.", "Share of weight draws in which the option ranks first.", "share"),
    _c("rank_kept_share", "Kans dezelfde rang", "Chance of the same rank", "share", "Aandeel gewichtstrekkingen waarin de optie haar rang houdt.", "Share of weight draws in which the option keeps its rank.", "share"),
    # -- wijken ----------------------------------------------------------------------------------
    _c("population_persons", "Inwoners", "Inhabitants", "persons", "Het aantal inwoners van de wijk.", "The district's inhabitants.", "int"),
    _c("locations_counted", "Locaties", "Locations", "count", "Bestaande en geplande locaties in de wijk.", "Existing and planned locations in the district.", "int"),
    _c("places_existing", "Plaatsen bestaand", "Places existing", "places", "Plaatsen in bestaande locaties.", "Places in existing locations.", "num"),
    _c("places_planned", "Plaatsen gepland", "Places planned", "places", "Plaatsen in geplande locaties.", "Places in planned locations.", "num"),
    _c("places_candidate", "Plaatsen kandidaat", "Places candidate", "places", "Plaatsen in kandidaat-locaties.", "Places in candidate locations.", "num"),
    _c("places_counted", "Plaatsen (bestaand en gepland)", "Places (existing and planned)", "places", "Plaatsen in bestaande en geplande locaties.", "Places in existing and planned locations.", "num"),
    _c("places_per_1000_persons", "Plaatsen per 1.000 inwoners", "Places per 1,000 inhabitants", "per_1000", "Plaatsen (bestaand en gepland) gedeeld door inwoners, maal 1.000.", "Places (existing and planned) divided by inhabitants, times 1,000.", "num"),
    _c("places_per_1000_persons_with_candidates", "Per 1.000 inwoners, met kandidaten", "Per 1,000 inhabitants, with candidates", "per_1000", "Als alle kandidaat-locaties er ook bij komen.", "If every candidate location is added as well.", "num"),
    _c("threshold_places_per_1000_persons", "Drempel per 1.000 inwoners", "Threshold per 1,000 inhabitants", "per_1000", "De drempel voor de belasting van een wijk (casusbestand).", "The threshold for a district's load (case file).", "num"),
    _c("above_threshold", "Boven de drempel", "Above the threshold", "yes_no", "Of de wijk met bestaande en geplande plaatsen boven de drempel zit.", "Whether existing and planned places put the district above the threshold.", "bool"),
    # -- thuis: school, care, work, inburgering and staff ------------------------------------------
    _c("thuis_service", "Voorziening", "Service", "text", "De voorziening: schoolplekken, huisartsinschrijvingen, inburgering, werk of personeel.", "The service: school places, GP registrations, inburgering, work or staff.", "text"),
    _c("thuis_unit", "Eenheid", "Unit", "text", "Waarin de voorziening wordt geteld (leerlingen, klassen, personen, trajecten, fte, euro per jaar).", "What the service is counted in (pupils, classes, persons, trajectories, FTE, euro a year).", "text"),
    _c("thuis_year", "Piekjaar", "Peak year", "year", "Het jaar met de hoogste mediaan (een voorraad: gemiddeld over het jaar; geld: opgeteld).", "The year of the highest median (a stock: its mean over the year; money: its sum).", "int"),
    _c("thuis_area", "Gebied", "Area", "text", "De wijk, de hele gemeente, of de bewoners buiten de locaties.", "The district, the whole municipality, or the residents outside the locations.", "text"),
    _c("thuis_capacity", "Capaciteit", "Capacity", "count", "De vrije capaciteit die de gemeente opgaf (plekken of inschrijvingen).", "The free capacity the municipality gave (places or registrations).", "num"),
    _c("thuis_peak_p90", "Hoogste vraag, P90", "Highest demand, P90", "count", "De hoogste 90%-waarde van de vraag in een maand.", "The highest 90th percentile of demand in any month.", "num"),
    _c("thuis_shortage_chance_share", "Kans op een tekort", "Chance of a shortage", "share", "Aandeel paden met in ten minste één maand meer vraag dan capaciteit.", "Share of paths with more demand than capacity in at least one month.", "share"),
    _c("thuis_staff_eur", "Loonkosten taakstelling en inburgering (€)", "Salaries, housing task and inburgering (€)", "eur", "Personeel voor de taakstelling en de inburgering per jaar, mediaan over de paden.", "Staff for the housing task and inburgering a year, median over the paths.", "eur"),
    _c("thuis_inburgering_eur", "Inburgeringstrajecten (€)", "Inburgering trajectories (€)", "eur", "Kosten van de lopende trajecten per jaar, bruto, mediaan over de paden.", "Cost of the trajectories a year, gross, median over the paths.", "eur"),
    _c("thuis_total_eur", "Structureel totaal (€)", "Structural total (€)", "eur", "Personeel en inburgering samen per jaar, mediaan over de paden.", "Staff and inburgering together a year, median over the paths.", "eur"),
    _c("thuis_total_p10_eur", "Structureel totaal, P10 (€)", "Structural total, P10 (€)", "eur", "Het totaal, 10%-waarde over de paden.", "The total, 10th percentile over the paths.", "eur"),
    _c("thuis_total_p90_eur", "Structureel totaal, P90 (€)", "Structural total, P90 (€)", "eur", "Het totaal, 90%-waarde over de paden.", "The total, 90th percentile over the paths.", "eur"),
    _c("thuis_school_eur", "Bekostiging nieuwkomersonderwijs (€)", "Funding of newcomer education (€)", "eur", "Wat de scholen per jaar voor nieuwkomers ontvangen; geen gemeentelijke post.", "What the schools receive for newcomers a year; not a municipal line.", "eur"),
    _c("thuis_reception_eur", "Loonkosten opvang (€)", "Salaries for reception (€)", "eur", "Personeel van de opvang per jaar; zit al in de exploitatiekosten van de locaties.", "Reception staff a year; already in the locations' running costs.", "eur"),
    # -- texts of the report's own tables ----------------------------------------------------------
    _c("signal", "Signaal", "Signal", "text", "Het cijfer dat gevolgd wordt.", "The figure that is watched.", "text", "signaal"),
    _c("signal_source", "Bron van het signaal", "Source of the signal", "text", "Waar het cijfer gepubliceerd wordt.", "Where the figure is published.", "text"),
    _c("when", "Wanneer", "When", "text", "Wanneer het cijfer verschijnt.", "When the figure is published.", "text", "wanneer"),
    _c("threshold", "Drempel", "Threshold", "text", "De waarde waarboven (of waaronder) een stap volgt.", "The value above (or below) which a step follows.", "text", "drempel"),
    _c("step", "Stap", "Step", "text", "De stap die dan volgt.", "The step that then follows.", "text", "stap"),
    _c("warning", "Waarschuwing", "Warning", "text", "Een punt in het locatieregister om te controleren.", "A point in the location register to check.", "text"),
    _c("figure", "Uitgangspunt", "Figure", "text", "Een uitgangspunt van de begroting.", "A figure the budget rests on.", "text"),
    _c("figure_value", "Waarde", "Value", "text", "De waarde van het uitgangspunt, met eenheid in woorden (een kaal getal als getal).", "The figure's value, with its unit in words (a bare number as a number).", "local_value"),
    _c("figure_status", "Status", "Status", "text", "Gepubliceerd cijfer of aanname.", "Published figure or assumption.", "text"),
    _c("why_it_matters", "Waarom het telt", "Why it matters", "text", "Waarom het uitgangspunt de begroting raakt.", "Why the figure matters to the budget.", "text"),
    # -- the assumptions (the full parameter table) ------------------------------------------------
    _c("topic", "Onderwerp", "Topic", "text", "De aanname of het kengetal (sleutel in de referentiegegevens of het casusbestand).", "The assumption or reference figure (key in the reference data or the case file).", "text", "onderwerp"),
    _c("value", "Waarde", "Value", "as_row", "De gebruikte waarde (een getal waar het een getal is).", "The value used (a number where it is one).", "value", "waarde"),
    _c("value_unit", "Eenheid van de waarde", "Unit of the value", "text", "De eenheid van de waarde.", "The unit of the value.", "code:unit"),
    _c("source_text", "Bron", "Source", "text", "De bron van de waarde, of 'aanname'.", "The source of the value, or 'assumption'.", "text", "bron"),
    _c("source_date", "Datum", "Date", "date", "De datum van de bron; voor instellingen van de casus en het locatieregister de peildatum.", "The date of the source; for settings of the case and the location register the peildatum.", "date", "datum"),
    _c("confidence", "Betrouwbaarheid", "Confidence", "text", "Bron, afgeleid, aanname, of H/M/L (hoog, midden, laag).", "Source, derived, assumption, or H/M/L (high, medium, low).", "text", "betrouwbaarheid"),
    _c("explanation", "Toelichting", "Explanation", "text", "Wat de waarde betekent en waar ze gebruikt wordt.", "What the value means and where it is used.", "text", "toelichting"),
)  # fmt: skip
"""Every column of the workbook; labels in the sheets follow the report language."""

BY_CODE: dict[str, Column] = {e.code: e for e in ENTRIES}
BY_NAME: dict[str, Column] = {}
for _entry in ENTRIES:
    for _name in (_entry.code, _entry.nl, _entry.en, *_entry.aliases):
        BY_NAME.setdefault(_name.lower(), _entry)

SHEET_COLUMNS: dict[str, dict[str, str]] = {
    # a column name a table uses for another meaning than the dictionary's first entry
    "signposts": {"bron": "signal_source", "source": "signal_source"},
    "key_assumptions": {
        "waarde": "figure_value",
        "value": "figure_value",
        "status": "figure_status",
    },
    "assumptions": {"eenheid": "value_unit", "waarde": "value", "betrouwbaarheid": "confidence"},
}


def column(name: str, sheet: str | None = None) -> Column | None:
    """The dictionary entry of a recorded column (by code, Dutch or English label), or None.

    >>> column("p50").nl, column("Mediaan").code
    ('Mediaan', 'p50')
    >>> column("bron", "signposts").code
    'signal_source'
    """
    key = str(name).lower()
    code = SHEET_COLUMNS.get(sheet or "", {}).get(key)
    if code is not None:
        return BY_CODE[code]
    return BY_NAME.get(key)


def unit_words(unit: str, language: str = "nl") -> str:
    """The unit code of a column in words (the code itself when unknown)."""
    pair = UNITS.get(unit)
    return unit if pair is None else pair[language == "en"]
