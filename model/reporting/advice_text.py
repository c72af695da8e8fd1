"""The fixed words of the advice in Dutch and English: section headings, figure and table titles.

The notebook asks for them by key, so a report in English (``language: en``) has English headings,
captions and sources throughout, and the Dutch text stays the single source for the Dutch report.
"""

from __future__ import annotations

from IPython.display import Markdown, display

SECTIONS: dict[str, dict[str, tuple[str, str]]] = {
    # key: language → (heading, introduction)
    "need": {
        "nl": ("Hoeveel opvang en woningen zijn nodig?", ""),
        "en": ("How many places and homes are needed?", ""),
    },
    "risk": {
        "nl": ("Hoe groot is de kans op een tekort?", ""),
        "en": ("How likely is a shortfall?", ""),
    },
    "plan": {
        "nl": (
            "Het aanbevolen plan: welke locaties, wanneer",
            "Welke locaties de gemeente opent, behoudt of afstoot, en wanneer het besluit uiterlijk moet "
            "vallen: het plan met de laagste verwachte kosten dat de gekozen betrouwbaarheid haalt over "
            "een set representatieve scenario's, getoetst op alle gesimuleerde paden.",
        ),
        "en": (
            "The recommended plan: which locations, when",
            "Which locations the municipality opens, keeps or gives up, and by when each decision must "
            "be taken: the plan with the lowest expected cost that reaches the chosen reliability over a "
            "set of representative scenarios, checked on all simulated paths.",
        ),
    },
    "business_case": {
        "nl": ("Business case van de aankoop en het hergebruik", ""),
        "en": ("Business case of the purchase and its reuse", ""),
    },
    "place": {
        "nl": ("Spreiding over de wijken en keuze tussen locaties", ""),
        "en": ("Spread over the districts and choice between locations", ""),
    },
    "budget": {
        "nl": ("Begroting en de vergoeding van het Rijk", ""),
        "en": ("Budget and the national government's compensation", ""),
    },
    "signposts": {
        "nl": (
            "Risico's en signaalwaarden",
            "Welk cijfer volgen we, wanneer, en welke stap volgt als het de drempel passeert.",
        ),
        "en": (
            "Risks and signposts",
            "Which figure we watch, when, and which step follows when it crosses its threshold.",
        ),
    },
    "appendix": {
        "nl": (
            "Bijlage: de aannames onder de begroting",
            "De uitgangspunten waarop de begroting van dit advies rust, met per uitgangspunt of het een "
            "gepubliceerd cijfer is of een aanname.",
        ),
        "en": (
            "Appendix: the assumptions under the budget",
            "The figures the budget of this advice rests on, each marked as a published figure or an "
            "assumption.",
        ),
    },
    "glossary": {
        "nl": ("Begrippen", ""),
        "en": ("Glossary", ""),
    },
}

GLOSSARY: dict[str, tuple[tuple[str, str], ...]] = {
    # language → (term, explanation), in alphabetical order of the Dutch terms
    "nl": (
        ("80%-band", "De bandbreedte waarbinnen 80% van de gesimuleerde toekomsten valt."),
        (
            "COA",
            "Centraal Orgaan opvang asielzoekers: vangt asielzoekers op en betaalt de gemeente voor "
            "de plaatsen die het huurt.",
        ),
        (
            "GOO",
            "Gemeentelijke opvang Oekraïners: de opvang van ontheemden uit Oekraïne die de gemeente "
            "zelf regelt en betaalt, met een vergoeding van het Rijk.",
        ),
        (
            "IBT",
            "Interbestuurlijk toezicht: de provincie ziet erop toe dat de gemeente haar taakstelling "
            "voor statushouders haalt.",
        ),
        (
            "Leegstandwet",
            "Staat tijdelijke bewoning van een leegstaand gebouw toe, voor een gebouw zonder "
            "woonbestemming ten hoogste tien jaar.",
        ),
        (
            "MPP",
            "Meerjarige productieprognose: de prognose van de asielinstroom die het Rijk in het "
            "voorjaar en het najaar publiceert.",
        ),
        (
            "Normbedrag",
            "Wat het Rijk de gemeente per gerealiseerde opvangplaats per dag voor Oekraïners betaalt; "
            "elk jaar opnieuw vastgesteld.",
        ),
        (
            "Omgevingswet",
            "Sinds 1 januari 2024 de wet voor vergunningen voor bouwen en (tijdelijk) afwijkend "
            "gebruik; opvolger van onder meer de Wabo.",
        ),
        (
            "Peildatum",
            "De maand tot waar de gepubliceerde cijfers gelden; daarna rekent het model.",
        ),
        (
            "Spreidingswet",
            "Wet gemeentelijke taak mogelijk maken asielopvangvoorzieningen: verdeelt de "
            "asielopvang over de gemeenten, met een verdeelbesluit per twee jaar.",
        ),
        (
            "Taakstelling",
            "Het aantal statushouders dat de gemeente per halfjaar moet huisvesten.",
        ),
    ),
    "en": (
        ("80% band", "The range that holds 80% of the simulated futures."),
        (
            "COA",
            "Central Agency for the Reception of Asylum Seekers: runs asylum reception and pays the "
            "municipality for the places it leases.",
        ),
        (
            "GOO",
            "Municipal reception of displaced persons from Ukraine, run and paid by the "
            "municipality, with a compensation from the national government.",
        ),
        (
            "IBT",
            "Inter-administrative supervision: the province checks that the municipality meets its "
            "housing target for status holders.",
        ),
        (
            "Leegstandwet",
            "Vacancy Act: allows temporary residence in a vacant building, for a building without "
            "a residential purpose for at most ten years.",
        ),
        (
            "MPP",
            "Multi-year production forecast: the forecast of the asylum inflow the national "
            "government publishes in spring and autumn.",
        ),
        (
            "Normbedrag",
            "What the national government pays the municipality per realised place per day for "
            "Ukrainians; set again every year.",
        ),
        (
            "Omgevingswet",
            "Environment and Planning Act: since 1 January 2024 the act for permits to build and "
            "for (temporary) deviating use; it replaced the former permit act (Wabo).",
        ),
        (
            "Peildatum",
            "Reference month: up to it the published figures hold; after it the model computes.",
        ),
        (
            "Spreidingswet",
            "Dispersal Act: spreads asylum reception over the municipalities, with a distribution "
            "decision every two years.",
        ),
        (
            "Taakstelling",
            "Housing target: the number of status holders the municipality must house per "
            "half-year.",
        ),
    ),
}

ARTEFACTS: dict[str, dict[str, dict[str, str]]] = {
    # key: language → keyword arguments of show_figure / show_table (title, caption, source)
    "need": {
        "nl": {
            "title": "Behoefte per doelgroep",
            "caption": "Mediaan met 80%- en 90%-band; gestippeld: andere scenario's",
            "source": "Onderdak-ensemble",
        },
        "en": {
            "title": "Need per target group",
            "caption": "Median with 80% and 90% bands; dotted: other scenarios",
            "source": "Onderdak ensemble",
        },
    },
    "scenario_table": {
        "nl": {"title": "Behoefte per scenario"},
        "en": {"title": "Need per scenario"},
    },
    "capacity_need": {
        "nl": {
            "title": "Capaciteit tegenover behoefte",
            "source": "Locatieregister en Onderdak-ensemble",
        },
        "en": {
            "title": "Capacity against need",
            "source": "Location register and Onderdak ensemble",
        },
    },
    "shortfall_risk": {
        "nl": {"title": "Kans op een tekort per maand", "source": "Onderdak-ensemble"},
        "en": {"title": "Chance of a shortfall per month", "source": "Onderdak ensemble"},
    },
    "timeline": {
        "nl": {"title": "Locaties in de tijd", "source": "Locatieregister"},
        "en": {"title": "Locations over time", "source": "Location register"},
    },
    "plan_timeline": {
        "nl": {
            "title": "Het aanbevolen plan in de tijd",
            "caption": "De ruit markeert het uiterste besluitmoment (openen min doorlooptijd)",
            "source": "Onderdak-optimalisatie op het locatieregister",
        },
        "en": {
            "title": "The recommended plan over time",
            "caption": "The diamond marks the latest decision date (opening minus lead time)",
            "source": "Onderdak optimisation on the location register",
        },
    },
    "plan_shortfall": {
        "nl": {
            "title": "Kans op een tekort per stroom, zonder en met plan",
            "source": "Onderdak-ensemble; aandeel paden met in ten minste één maand een tekort",
        },
        "en": {
            "title": "Chance of a shortfall per stream, without and with the plan",
            "source": "Onderdak ensemble; share of paths short in at least one month",
        },
    },
    "plan_money": {
        "nl": {
            "title": "Geld van het plan over de horizon, met en zonder plan",
            "source": "Onderdak-begroting op het locatieregister; normbedrag, COA-vergoeding en "
            "Spreidingswet-bijdragen uit de referentiegegevens (met bron en datum)",
        },
        "en": {
            "title": "The plan's money over the horizon, with and without the plan",
            "source": "Onderdak budget on the location register; normbedrag, COA payment and "
            "Spreidingswet incentives from the reference data (with source and date)",
        },
    },
    "plan_decisions": {
        "nl": {
            "title": "Besluiten per locatie",
            "source": "Onderdak-optimalisatie; kosten uit het locatieregister (contante waarde)",
        },
        "en": {
            "title": "Decisions per location",
            "source": "Onderdak optimisation; costs from the location register (present value)",
        },
    },
    "plan_capacity": {
        "nl": {
            "title": "Capaciteit van het plan en behoefte",
            "caption": "Per kwartaal de hoogste maand; mediaan, 80%- en 90%-band",
            "source": "Onderdak-ensemble",
        },
        "en": {
            "title": "Capacity of the plan and need",
            "caption": "Highest month per quarter; median, 80% and 90% bands",
            "source": "Onderdak ensemble",
        },
    },
    "plan_tradeoff": {
        "nl": {
            "title": "Verwachte kosten en investering per gevraagde betrouwbaarheid",
            "source": "Onderdak-optimalisatie, getoetst op alle paden",
        },
        "en": {
            "title": "Expected cost and investment per reliability asked",
            "source": "Onderdak optimisation, checked on all paths",
        },
    },
    "alternatives": {
        "nl": {"title": "Alternatieven voor dezelfde behoefte"},
        "en": {"title": "Alternatives for the same need"},
    },
    "npv_distributions": {
        "nl": {"title": "Netto contante kosten per alternatief", "source": "Onderdak-ensemble"},
        "en": {"title": "Net present cost per alternative", "source": "Onderdak ensemble"},
    },
    "tornado": {
        "nl": {"title": "Wat beweegt de uitkomst van kopen", "source": "Onderdak-ensemble"},
        "en": {"title": "What moves the outcome of buying", "source": "Onderdak ensemble"},
    },
    "map": {
        "nl": {
            "title": "Locaties en plaatsen per 1.000 inwoners per wijk",
            "source": "Wijkgrenzen en inwoners uit het casusbestand",
        },
        "en": {
            "title": "Locations and places per 1,000 inhabitants per district",
            "source": "District boundaries and inhabitants from the case file",
        },
    },
    "mca": {
        "nl": {
            "title": "Multicriteria-afweging van de opties",
            "source": "Locatieregister; gewichten uit het casusbestand",
        },
        "en": {
            "title": "Multi-criteria assessment of the options",
            "source": "Location register; weights from the case file",
        },
    },
    "budget": {
        "nl": {
            "title": "Jaarlijkse kosten, inkomsten en netto kosten",
            "source": "Locatieregister; normbedrag uit de referentiegegevens",
        },
        "en": {
            "title": "Yearly costs, income and net cost",
            "source": "Location register; normbedrag from the reference data",
        },
    },
    "signposts": {"nl": {"title": "Signaalwaarden"}, "en": {"title": "Signposts"}},
    "register_warnings": {
        "nl": {"title": "Waarschuwingen bij het locatieregister"},
        "en": {"title": "Warnings on the location register"},
    },
    "assumptions": {
        "nl": {"title": "Alle aannames en bronnen (met bron en datum)"},
        "en": {"title": "All assumptions and sources (with source and date)"},
    },
    "key_assumptions": {
        "nl": {"title": "Uitgangspunten van de begroting"},
        "en": {"title": "Figures the budget rests on"},
    },
    "need_table": {
        "nl": {"title": "Behoefte per maand, doelgroep en scenario (kwantielen)"},
        "en": {"title": "Need per month, target group and scenario (quantiles)"},
    },
    "taakstelling": {
        "nl": {"title": "Taakstelling statushouders per halfjaar"},
        "en": {"title": "Status-holder housing target per half-year"},
    },
    "gap_summary": {
        "nl": {"title": "Tekortrisico per doelgroep en portefeuille"},
        "en": {"title": "Shortfall risk per target group and portfolio"},
    },
    "plan_table": {
        "nl": {"title": "Plan: elke locatie met actie, kosten en reden"},
        "en": {"title": "Plan: every location with action, cost and reason"},
    },
    "plan_tradeoff_table": {
        "nl": {"title": "Kosten en risico per betrouwbaarheid"},
        "en": {"title": "Cost and risk per reliability level"},
    },
}


def _language(language: str) -> str:
    return "en" if language == "en" else "nl"


def words(key: str, language: str = "nl") -> dict[str, str]:
    """Title, caption and source of a figure or table of the advice, as keyword arguments."""
    return dict(ARTEFACTS[key][_language(language)])


def heading(key: str, language: str = "nl") -> str:
    """The section heading and its introduction, as Markdown (``## heading``)."""
    title, intro = SECTIONS[key][_language(language)]
    return f"## {title}" + (f"\n\n{intro}" if intro else "")


def section(key: str, language: str = "nl") -> None:
    """Display a section heading (and its introduction) in the report language."""
    display(Markdown(heading(key, language)))


TITLES = {
    "nl": "Bestuurlijk advies opvang en huisvesting",
    "en": "Advice on reception and housing",
}

NO_PLAN = {
    "nl": "Er is geen plan berekend: {reason}",
    "en": "No plan was computed: {reason}",
}


def title(language: str = "nl") -> None:
    """Display the report title (``# …``) in the report language."""
    display(Markdown(f"# {TITLES[_language(language)]}"))


def glossary_markdown(language: str = "nl") -> str:
    """The glossary of the advice as a Markdown list: **term**: explanation."""
    return "\n".join(f"- **{t}**: {e}" for t, e in GLOSSARY[_language(language)])


def glossary(language: str = "nl") -> None:
    """Display the glossary (terms of art of the advice) in the report language."""
    display(Markdown(glossary_markdown(language)))
