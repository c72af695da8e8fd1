"""Write this case's two small extracts from the shared CBS/PDOK files (run from the repository root).

    .venv/bin/python data/cases/oss/make_extracts.py [path/to/shared/data]

- wijken_oss_2024.geojson: the 23 wijken of Oss (statcode WK0828xx) of the CBS wijken 2024
  (shared/data/wijken_2024_cartomap_wgs84.geojson), features copied unchanged (3-decimal WGS84).
- kwb2024_oss.csv: the header, the GM0828 row and the 23 WK0828 rows of CBS 85984NED
  (shared/data/kwb2024_85984NED_gm_wijk_leeftijd.csv), lines copied byte for byte.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parents[3] / "shared" / "data"
DIGITS = "0828"

source = json.loads((SHARED / "wijken_2024_cartomap_wgs84.geojson").read_text(encoding="utf-8"))
features = [f for f in source["features"] if f["properties"]["statcode"][2:6] == DIGITS]
extract = {
    "type": "FeatureCollection",
    "name": "wijken_oss_2024",
    "source": "CBS/Kadaster wijk_gegeneraliseerd 2024 via cartomap (shared/data file 3), WK0828xx only",
    "attribution": "Kadaster / Centraal Bureau voor de Statistiek, 2024",
    "features": features,
}
(HERE / "wijken_oss_2024.geojson").write_text(
    json.dumps(extract, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
)

raw = (SHARED / "kwb2024_85984NED_gm_wijk_leeftijd.csv").read_bytes()
lines = raw.split(b"\r\n")
keep = [lines[0]] + [
    line for line in lines[1:] if f'"GM{DIGITS}'.encode() in line or f'"WK{DIGITS}'.encode() in line
]
(HERE / "kwb2024_oss.csv").write_bytes(b"\r\n".join(keep) + b"\r\n")
print(f"{len(features)} wijken, {len(keep) - 1} CBS rows")
