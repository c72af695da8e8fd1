"""What users may type in a location register: Dutch aliases of columns and values.

All alias tables of the register live here, in one place. Keys are *normalised* spellings
(lower case, accents removed, every run of other characters replaced by ``_``), so
"Capaciteit (plaatsen)", "capaciteit plaatsen" and "CAPACITEIT_PLAATSEN" are all the same header.
"""

from __future__ import annotations

import re
import unicodedata

COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("id", "code", "locatie_id", "locatiecode", "nr", "nummer"),
    "name": ("name", "naam", "locatie", "locatienaam", "naam_locatie"),
    "status": ("status",),
    "kind": ("kind", "soort", "type", "soort_locatie", "vorm"),
    "streams": ("streams", "doelgroepen", "doelgroep"),
    "capacity_places": (
        "capacity_places",
        "capaciteit_plaatsen",
        "capaciteit",
        "plaatsen",
        "aantal_plaatsen",
    ),
    "occupancy_norm_share": (
        "occupancy_norm_share",
        "bezettingsnorm",
        "bezettingsgraad",
        "bezettingsnorm_aandeel",
    ),
    "gbo_m2": ("gbo_m2", "gbo"),
    "available_from": (
        "available_from",
        "beschikbaar_vanaf",
        "vanaf",
        "startdatum",
        "ingangsdatum",
    ),
    "lead_time_months": (
        "lead_time_months",
        "doorlooptijd_maanden",
        "doorlooptijd",
        "voorbereidingstijd_maanden",
    ),
    "available_until": ("available_until", "beschikbaar_tot", "tot", "einddatum"),
    "address": ("address", "adres"),
    "x": ("x", "x_rd", "rd_x"),
    "y": ("y", "y_rd", "rd_y"),
    "crs": ("crs", "coordinatenstelsel", "epsg"),
    "wijk_code": ("wijk_code", "wijkcode", "wijk"),
    "purchase_price_eur": (
        "purchase_price_eur",
        "aankoopprijs_eur",
        "aankoopprijs",
        "koopprijs_eur",
    ),
    "conversion_capex_eur": (
        "conversion_capex_eur",
        "verbouwingskosten_eur",
        "verbouwingskosten",
        "verbouwing_eur",
    ),
    "furnishing_capex_eur": (
        "furnishing_capex_eur",
        "inrichtingskosten_eur",
        "inrichtingskosten",
        "inrichting_eur",
    ),
    "fixed_opex_eur_per_year": (
        "fixed_opex_eur_per_year",
        "vaste_lasten_eur_per_jaar",
        "vaste_lasten",
        "vaste_kosten_eur_per_jaar",
    ),
    "variable_opex_eur_per_place_day": (
        "variable_opex_eur_per_place_day",
        "variabele_kosten_eur_per_plaatsdag",
        "variabele_kosten",
        "variabele_kosten_eur_per_plaats_per_dag",
    ),
    "closing_cost_eur": (
        "closing_cost_eur",
        "sluitingskosten_eur",
        "sluitingskosten",
        "herstelkosten_eur",
    ),
    "market_value_eur": ("market_value_eur", "marktwaarde_eur", "marktwaarde"),
    "coa_rent_eur_per_place_year": (
        "coa_rent_eur_per_place_year",
        "coa_huur_eur_per_plaats_jaar",
        "coa_huur_eur_per_plaats_per_jaar",
        "coa_huur",
    ),
    "reuse_options": ("reuse_options", "hergebruik", "hergebruiksopties", "herbestemming"),
    "quality_score": ("quality_score", "kwaliteit", "kwaliteitsscore"),
    "risk_score": ("risk_score", "risico", "risicoscore"),
    "priority": ("priority", "prioriteit", "volgorde"),
    "staff_fte": ("staff_fte", "personeel_fte", "fte"),
    "notes": ("notes", "opmerkingen", "opmerking", "toelichting", "notities"),
}
"""English column name -> accepted (normalised) headers, English name first."""

STATUSES: dict[str, tuple[str, ...]] = {
    "existing": ("existing", "bestaand", "bestaande", "in_gebruik"),
    "planned": ("planned", "gepland", "geplande", "besloten"),
    "candidate": ("candidate", "kandidaat", "optie"),
}

KINDS: dict[str, tuple[str, ...]] = {
    "municipal_building": (
        "municipal_building",
        "gemeentelijk_gebouw",
        "gemeentelijk_vastgoed",
        "eigen_gebouw",
    ),
    "purchase": ("purchase", "aankoop", "koop"),
    "lease": ("lease", "huur", "gehuurd"),
    "hotel": ("hotel",),
    "holiday_park": ("holiday_park", "vakantiepark", "recreatiepark", "camping"),
    "flex_units": (
        "flex_units",
        "flexwoningen",
        "flexwoning",
        "flex",
        "modulaire_woningen",
        "tijdelijke_woningen",
    ),
    "office_conversion": ("office_conversion", "kantoortransformatie", "transformatie", "kantoor"),
    "leegstandwet": ("leegstandwet", "tijdelijk_gebruik", "tijdelijke_verhuur"),
    "private_hosts": ("private_hosts", "particuliere_opvang", "gastgezinnen", "poo"),
    "coa_location": ("coa_location", "coa_locatie", "azc", "coa"),
}

STREAM_NAMES: dict[str, tuple[str, ...]] = {
    "ukraine": ("ukraine", "oekraine", "oekrainers", "oekraiense_ontheemden", "goo"),
    "asylum": ("asylum", "asiel", "asielzoekers", "asielopvang"),
    "status_holders": ("status_holders", "statushouders", "vergunninghouders"),
}

REUSE_OPTIONS: dict[str, tuple[str, ...]] = {
    "social_housing": (
        "social_housing",
        "sociale_huur",
        "sociale_huurwoningen",
        "sociale_woningbouw",
    ),
    "starter_homes": ("starter_homes", "starterswoningen", "starters"),
    "student_housing": (
        "student_housing",
        "studentenhuisvesting",
        "studentenwoningen",
        "studenten",
    ),
    "community": ("community", "maatschappelijk", "maatschappelijk_vastgoed", "gemeenschap"),
    "sale": ("sale", "verkoop", "verkopen"),
    "relocate_units": ("relocate_units", "verplaatsen", "herplaatsen"),
    "demolish": ("demolish", "sloop", "slopen"),
}

CRS_NAMES: dict[str, tuple[str, ...]] = {
    "EPSG:28992": ("epsg_28992", "28992", "rd", "rd_new", "rijksdriehoek", "amersfoort_rd_new"),
    "EPSG:4326": ("epsg_4326", "4326", "wgs84", "wgs_84", "lat_lon", "gps"),
}


def normalise(text: object) -> str:
    """Lower case, accents removed, runs of other characters as ``_``: the key of every alias table."""
    s = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "_", s).strip("_")


def lookup(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Alias -> canonical name for one of the tables above."""
    return {alias: canonical for canonical, aliases in table.items() for alias in aliases}
