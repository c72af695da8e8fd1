"""Benchmark: report runs end to end (papermill + exports) and a batch of municipalities.

Targets (2-core machine): the scenarios report (HTML) ≤ 20 s; the advice with all exports ≤ 30 s (issue 15);
a batch of 12 municipalities ≤ 4 minutes. Prints wall seconds per phase (from the run's manifest),
the peak memory of the kernel, and the target.

Run: ``.venv/bin/python benchmarks/bench_report.py`` (scenarios, and advice when it exists);
``--notebook NAME [--formats html,pdf,pptx,xlsx]`` for one notebook; ``--batch 12 [--only-batch]``
for the batch (advice with all exports when it exists).
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import tempfile
import time
from pathlib import Path

from onderdak.reporting.report_notebooks import NOTEBOOK_DIR, parse_formats
from onderdak.reporting.runner import run_report

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "cases" / "demo"
TARGETS_S = {"scenarios": 20.0, "advice": 30.0}
BATCH_TARGET_S = 240.0


def bench_notebook(name: str, formats: tuple[str, ...] | None, out: Path) -> float:
    """Run one report of the demo case and print its timings; returns the wall seconds."""
    started = time.perf_counter()
    result = run_report(DEMO / "case.yaml", name, out=out / name, formats=formats)
    wall = time.perf_counter() - started
    timings = json.loads((result.folder / "manifest.json").read_text())["timings_s"]
    phases = ", ".join(f"{k[:-2]} {v:.1f} s" for k, v in timings.items() if k != "total_s")
    kernel_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    target = TARGETS_S.get(name)
    verdict = (
        ""
        if target is None
        else f" (target ≤ {target:.0f} s: {'OK' if wall <= target else 'MISSED'})"
    )
    made = ", ".join(k for k in result.outputs if k not in ("notebook", "manifest"))
    print(f"{name:<10} {wall:6.1f} s wall{verdict}")
    print(f"           phases: {phases}; exports: {made}; pages: {result.pdf_pages or '-'}")
    print(f"           peak memory of a child (kernel) {kernel_mb:.0f} MB")
    return wall


def bench_batch(
    n: int, notebook: str, workers: int, formats: tuple[str, ...] | None, out: Path
) -> float:
    """Run a batch of ``n`` copies of the demo case (different names and sizes) and print the time."""
    import yaml

    from onderdak.cli import batch

    cases = []
    for i in range(n):
        folder = out / "cases" / f"gemeente{i:02d}"
        shutil.copytree(DEMO, folder)
        data = yaml.safe_load((folder / "case.yaml").read_text(encoding="utf-8"))
        data["name"] = f"gemeente{i:02d}"
        data["municipality"]["population_persons"] = 20_000 + 7_500 * i
        (folder / "case.yaml").write_text(
            yaml.safe_dump(data, allow_unicode=True), encoding="utf-8"
        )
        cases.append(folder / "case.yaml")
    jobs = batch.jobs_for_cases(cases, None, notebook, {})
    started = time.perf_counter()
    results, folder = batch.run_batch(
        jobs, workers, out / "reports", formats, "bench", progress=True
    )
    wall = time.perf_counter() - started
    ok = sum(r.status == "ok" for r in results)
    per_run = sorted(r.seconds for r in results)
    verdict = "OK" if wall <= BATCH_TARGET_S and ok == n else "MISSED"
    print(
        f"batch of {n} × {notebook} on {workers} workers: {wall:.1f} s wall "
        f"(target ≤ {BATCH_TARGET_S:.0f} s: {verdict}); {ok}/{n} ok; "
        f"per run median {per_run[len(per_run) // 2]:.1f} s, max {per_run[-1]:.1f} s"
    )
    if ok < n:
        print(batch.summary_table(results))
    return wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--notebook", help="one notebook (default: scenarios, and advice if present)"
    )
    parser.add_argument("--formats", help="exports, e.g. html,pdf,pptx,xlsx (default per notebook)")
    parser.add_argument(
        "--batch", type=int, metavar="N", help="also run a batch of N municipalities"
    )
    parser.add_argument(
        "--batch-notebook", default=None, help="notebook of the batch (default: advice)"
    )
    parser.add_argument("--only-batch", action="store_true", help="skip the single reports")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="keep the output folder")
    args = parser.parse_args()
    formats = parse_formats(args.formats)
    out = Path(tempfile.mkdtemp(prefix="bench_report_"))
    try:
        names = (
            [args.notebook]
            if args.notebook
            else [n for n in ("scenarios", "advice") if (NOTEBOOK_DIR / f"{n}.ipynb").exists()]
        )
        for name in [] if args.only_batch else names:
            bench_notebook(name, formats, out)
        if args.batch:
            nb = args.batch_notebook or (
                "advice" if (NOTEBOOK_DIR / "advice.ipynb").exists() else "scenarios"
            )
            bench_batch(args.batch, nb, args.workers, formats, out)
    finally:
        if args.keep:
            print(f"output kept in {out}")
        else:
            shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
