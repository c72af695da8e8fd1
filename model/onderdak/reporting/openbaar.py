"""The public variant of the advice (``openbaar=true``): purchase candidates without their address.

A municipality cannot publish which building it means to buy before it has bought it. The public
variant drops the address of every purchase candidate (a candidate the municipality would buy,
convert or build on) and gives it a generic name ("aankoopkandidaat 1") when its own name gives
the address away (shares a word with the street). It does so on a copy of the case folder, so the
text, tables, map labels, workbook and deck of that report all see the same register.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import yaml

from onderdak.business_case.options import BUY_KINDS
from onderdak.case.settings import load_case
from onderdak.io import resources
from onderdak.register.locations import load_register
from onderdak.reporting.i18n import text


def _stems(address: str) -> set[str]:
    """The first five letters of each word of an address's street part ('Stationsweg 5' → 'stati')."""
    street = re.split(r"\d", str(address), maxsplit=1)[0]
    return {w[:5].lower() for w in re.findall(r"[^\W\d_]{5,}", street)}


def reveals(name: str, address: str) -> bool:
    """True when a location's name shares a word stem with its street.

    >>> reveals("Kantoorpand Stationsweg - aankoop", "Stationsweg 5 Voorbeeld")
    True
    >>> reveals("Hotel De Poort", "Stationsplein 3 Voorbeeld")
    False
    """
    words = {w[:5].lower() for w in re.findall(r"[^\W\d_]{5,}", str(name))}
    return bool(words & _stems(address))


def purchase_candidates(register: pd.DataFrame) -> list[str]:
    """Ids of the candidates the municipality would buy, convert or build (indexed by id)."""
    mask = (register["status"] == "candidate") & register["kind"].isin(BUY_KINDS)
    return [str(i) for i in register.index[mask]]


def public_names(register: pd.DataFrame, language: str = "nl") -> dict[str, str]:
    """Id → the name shown in the public variant, for the purchase candidates whose name reveals
    their address (numbered in register order)."""
    out = {}
    for n, i in enumerate(purchase_candidates(register), 1):
        name, address = register.at[i, "name"], register.at[i, "address"]
        if reveals(str(name), str(address)):
            out[i] = text("voorstel.openbaar.candidate", language, n=n)
    return out


def _matching_column(raw: pd.DataFrame, values: pd.Series) -> str | None:
    """The column of a raw register file that holds most of ``values`` (at least half)."""
    wanted = set(values.dropna().astype(str))
    best = max(
        raw.columns, key=lambda c: len(wanted & set(raw[c].dropna().astype(str))), default=None
    )
    if best is None or len(wanted & set(raw[best].dropna().astype(str))) < max(1, len(wanted) / 2):
        return None
    return best


@contextmanager
def public_case(case_path: str | Path, language: str = "nl") -> Iterator[Path]:
    """A copy of the case folder whose location register holds no address of a purchase
    candidate (and a generic name where the name reveals it); yields the copied case file."""
    tmp = public_copy(case_path, language)
    try:
        yield tmp
    finally:
        shutil.rmtree(tmp.parent.parent, ignore_errors=True)


def public_copy(case_path: str | Path, language: str = "nl") -> Path:
    """The copied case file of :func:`public_case`, in a temporary folder removed when the process
    ends (the advice reads its register again after it is prepared)."""
    import atexit

    case_path = resources.locate(case_path)
    spec = yaml.safe_load(Path(case_path).read_text(encoding="utf-8"))
    tmp = tempfile.mkdtemp(prefix="onderdak-openbaar-")
    atexit.register(shutil.rmtree, tmp, ignore_errors=True)
    folder = Path(tmp) / Path(case_path).parent.name
    shutil.copytree(Path(case_path).parent, folder)
    locations = spec.get("locations") if isinstance(spec, dict) else None
    if locations:
        register = load_register(load_case(case_path)).table
        path = folder / str(locations)
        xlsx = path.suffix.lower() in (".xlsx", ".xls")
        raw = pd.read_excel(path) if xlsx else pd.read_csv(path, dtype=str)
        id_col = _matching_column(raw, pd.Series(register.index))
        name_col = _matching_column(raw, register["name"])
        addr_col = _matching_column(raw, register["address"])
        hidden = purchase_candidates(register)
        names = public_names(register, language)
        if id_col is not None:
            rows = raw[id_col].astype(str)
            for i in hidden:
                if addr_col is not None:
                    raw.loc[rows == i, addr_col] = text("voorstel.openbaar.address", language)
                if name_col is not None and i in names:
                    raw.loc[rows == i, name_col] = names[i]
        if xlsx:
            raw.to_excel(path, index=False)
        else:
            raw.to_csv(path, index=False)
    return folder / Path(case_path).name
