"""Booklet rendering at scale: ~400-page booklets from generated plans (target: < 10 s and
< 500 MB each on the project machine). Run by hand; prints a table.

    python benchmarks/bench_booklet.py [--tracemalloc] [--keep DIR]

Each scenario runs in a fresh Python process, so its peak memory (ru_maxrss) is its own;
"render s" is wall-clock time of render_booklet alone, "cpu s" its process CPU time
(less noisy on a shared machine), "peak MB" the process's peak resident memory including
the generated plan, "py peak MB" (with --tracemalloc, which slows rendering ~3×) the peak
of Python allocations during rendering.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SCENARIOS = {
    # name: (make_large_dump kwargs, BookletOptions kwargs)
    "whole plan, 800 projects": ({"n_projects": 800}, {}),
    "20,000-project plan, goal 1-1": ({"n_projects": 20000}, {"axis": "1-1"}),
    "20,000-project plan, one unit": ({"n_projects": 20000}, {"unit": "R01"}),
    "20,000-project plan, goal 1-1, year 1405": ({"n_projects": 20000}, {"axis": "1-1", "year": 1405}),
}


def run_one(name: str, out_dir: Path, trace: bool) -> dict:
    from benchmarks.scale_plan import make_large_dump
    from planner_core.booklet import BookletOptions, render_booklet

    dump_kwargs, option_kwargs = SCENARIOS[name]
    t0 = time.perf_counter()
    doc = make_large_dump(**dump_kwargs)
    generated = time.perf_counter() - t0
    out = out_dir / (name.replace(" ", "_").replace(",", "").replace("/", "-") + ".pdf")
    if trace:
        tracemalloc.start()
    cpu0, t0 = time.process_time(), time.perf_counter()
    result = render_booklet(doc, out, BookletOptions(**option_kwargs))
    wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    py_peak = tracemalloc.get_traced_memory()[1] / 2**20 if trace else None
    return {"name": name, "pages": result.pages, "generate_s": generated, "render_s": wall, "cpu_s": cpu,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "py_peak_mb": py_peak,
            "size_mb": out.stat().st_size / 2**20}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--tracemalloc", action="store_true", help="also measure Python allocations (slower)")
    parser.add_argument("--keep", type=Path, help="keep the PDFs in this folder")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.out, args.tracemalloc)))
        return
    out_dir = args.keep or Path(tempfile.mkdtemp(prefix="booklet-bench-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = []
    for name in SCENARIOS:
        cmd = [sys.executable, __file__, "--one", name, "--out", str(out_dir)]
        if args.tracemalloc:
            cmd.append("--tracemalloc")
        done = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=ROOT)
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
    head = f"{'scenario':<44} {'pages':>6} {'gen s':>6} {'render s':>9} {'cpu s':>6} {'peak MB':>8}"
    head += f" {'py peak MB':>11} {'PDF MB':>7} {'s/100 p':>8}"
    print(head)
    print("-" * len(head))
    for r in rows:
        py = f"{r['py_peak_mb']:.0f}" if r["py_peak_mb"] is not None else "—"
        print(f"{r['name']:<44} {r['pages']:>6} {r['generate_s']:>6.2f} {r['render_s']:>9.2f} {r['cpu_s']:>6.2f}"
              f" {r['peak_mb']:>8.0f} {py:>11} {r['size_mb']:>7.1f} {100 * r['render_s'] / r['pages']:>8.2f}")
    if args.tracemalloc:
        print("\n(times with --tracemalloc are inflated; run without it to judge the 10 s target)")
    else:
        ok = all(r["render_s"] < 10 and r["peak_mb"] < 500 for r in rows)
        print(f"\ntarget < 10 s and < 500 MB per booklet: {'met' if ok else 'NOT met'}")
    if not args.keep:
        for pdf in out_dir.glob("*.pdf"):
            pdf.unlink()
        out_dir.rmdir()


if __name__ == "__main__":
    main()
