"""Benchmark: spread, distances and a map for Almere's 71 wijken and 50 locations (target ≤ 5 s).

Reads the shared real data (../shared/data); prints a message and stops when it is absent.
Run: ``.venv/bin/python benchmarks/bench_geo.py``.
"""

from __future__ import annotations

import resource
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
WIJKEN = SHARED / "wijken_2024_heusden_almere_dalfsen_nunspeet.geojson"
LOCATIONS, AMENITIES, TARGET_S = 50, 200, 5.0
KINDS = ["municipal_building", "purchase", "lease", "hotel", "holiday_park", "flex_units"]


def main() -> None:
    if not WIJKEN.exists():
        print(
            f"skipped: shared data not found at {SHARED} (place the shared/ folder beside the repo)"
        )
        return
    t_import = time.perf_counter()
    import matplotlib.pyplot as plt

    from onderdak.geo.boundaries import municipality_outline, read_boundaries
    from onderdak.geo.points import assign_wijken
    from onderdak.geo.population import wijk_population
    from onderdak.geo.spread import distance_table, spread_table
    from onderdak.reporting.maps import wijk_map

    t_import = time.perf_counter() - t_import

    def run() -> dict[str, float]:
        rng = np.random.default_rng(2026)
        t0 = time.perf_counter()
        wijken = read_boundaries(WIJKEN, municipality="GM0034")
        outline = municipality_outline(wijken)
        t_read = time.perf_counter()
        population = wijk_population(
            wijken, "area", 222_825
        )  # CBS 2023; no inhabitants per wijk in the data
        # locations at random points in random wijken (inside the municipality), amenities in its box
        chosen = wijken.sample(LOCATIONS, replace=True, random_state=2026).geometry
        xy = np.array([_random_point_in(g, rng) for g in chosen])
        register = pd.DataFrame(
            {
                "x": xy[:, 0],
                "y": xy[:, 1],
                "capacity_places": rng.integers(10, 250, LOCATIONS),
                "status": rng.choice(["existing", "planned", "candidate"], LOCATIONS),
                "kind": rng.choice(KINDS, LOCATIONS),
            },
            index=pd.Index([f"L{i:02d}" for i in range(LOCATIONS)], name="id"),
        )
        x0, y0, x1, y1 = outline.bounds
        axy = rng.uniform((x0, y0), (x1, y1), size=(AMENITIES, 2))
        amenities = pd.DataFrame(
            {
                "kind": rng.choice(["school", "gp", "supermarket", "station"], AMENITIES),
                "name": [f"A{i}" for i in range(AMENITIES)],
                "x_rd_m": axy[:, 0],
                "y_rd_m": axy[:, 1],
            }
        )
        t1 = time.perf_counter()
        assignment = assign_wijken(register, wijken, outline)
        located = register[["capacity_places", "status"]].join(assignment.table[["wijk_code"]])
        spread = spread_table(located, population, 10.0)
        t2 = time.perf_counter()
        distances = distance_table(assignment.table, amenities)
        t3 = time.perf_counter()
        points = register[["kind", "status", "capacity_places"]].join(
            assignment.table[["x_rd_m", "y_rd_m"]]
        )
        fig = wijk_map(wijken, spread, points, outline=outline)
        fig.canvas.draw()  # render, as an export would
        t4 = time.perf_counter()
        plt.close(fig)
        return {
            "read": t_read - t0,
            "spread": t2 - t1,
            "distances": t3 - t2,
            "map": t4 - t3,
            "total": t4 - t0 - (t1 - t_read),  # without making up the test register
            "wijken": len(wijken),
            "outside": len(assignment.outside),
            "spread_rows": len(spread),
            "distance_rows": len(distances),
        }

    cold = run()  # first call: includes font and projection caches
    warm = run()
    tracemalloc.start()
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"wijken {cold['wijken']}, locations {LOCATIONS} ({cold['outside']} outside), amenities {AMENITIES}"
    )
    print(f"  imports (not counted)       : {t_import:.2f} s")
    for key, text in [
        ("read", "read + repair boundaries"),
        ("spread", "assign wijken + spread"),
        ("distances", "distances"),
        ("map", "map (drawn)"),
    ]:
        print(f"  {text:<28}: {cold[key]:.3f} s cold, {warm[key]:.3f} s warm")
    verdict = "OK" if cold["total"] <= TARGET_S else "TOO SLOW"
    print(
        f"total                         : {cold['total']:.3f} s cold, {warm['total']:.3f} s warm "
        f"(target ≤ {TARGET_S:.0f} s) {verdict}"
    )
    print(
        f"peak memory                   : {peak / 1024**2:.1f} MB traced, {rss_mb:.0f} MB process (ru_maxrss)"
    )


def _random_point_in(geom, rng: np.random.Generator) -> tuple[float, float]:
    x0, y0, x1, y1 = geom.bounds
    for _ in range(1000):
        x, y = rng.uniform(x0, x1), rng.uniform(y0, y1)
        if geom.contains(shapely.Point(x, y)):
            return x, y
    point = geom.representative_point()
    return point.x, point.y


if __name__ == "__main__":
    main()
