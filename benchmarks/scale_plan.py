"""A large, valid plan document (dump format) for benchmarks: booklet, import, database.

    from benchmarks.scale_plan import make_large_dump
    doc = make_large_dump(n_projects=20000)            # ~1 s, deterministic for a seed

Shape: axes → goals → strategies → programs (one or two consecutive fiscal years inside the
plan's years) → projects spread evenly over the programs. Every project has an allocation
in each year of its program against a leaf budget code whose annual ceiling covers it,
dates inside its program's years, an output/result indicator and a progress report;
strategic levels carry outcome indicators with targets for every plan year. Text is
Persian, normalised (Persian yeh/kaf, ZWNJ), numbers in prose with Persian digits.

Run as a script to print the counts: ``python -m benchmarks.scale_plan --projects 20000``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from planner_core.jalali import fiscal_year_bounds
from planner_core.text import to_persian_digits

WORDS = (
    "توسعه", "ساماندهی", "بهسازی", "نوسازی", "ارتقای", "ایمن‌سازی", "احداث", "تکمیل", "مرمت", "هوشمندسازی",
    "شبکه", "حمل‌ونقل", "عمومی", "فضای", "سبز", "پارک‌های", "محلی", "معابر", "پیاده‌راه", "بافت", "فرسوده",
    "تاریخی", "محله", "منطقه", "شهری", "خدمات", "الکترونیک", "پسماند", "بازیافت", "آب‌های", "سطحی", "ناوگان",
    "اتوبوس", "مترو", "دوچرخه", "گردشگری", "فرهنگی", "ورزشی", "سلامت", "ایمنی", "آتش‌نشانی", "مدیریت",
    "بحران", "درآمدهای", "پایدار", "مشارکت", "شهروندان", "سرمایه‌گذاری", "کیفیت", "هوا", "روشنایی", "میدان",
)
SENTENCE_TAIL = (
    "با مشارکت شهروندان و نهادهای محلی اجرا می‌شود",
    "بر پایه مطالعات امکان‌سنجی سال گذشته تعریف شده است",
    "در چهارچوب سیاست‌های کلان شهرداری پیگیری می‌شود",
    "با اولویت مناطق کم‌برخوردار و پرجمعیت دنبال می‌شود",
)
UNITS_OF_MEASURE = ("درصد", "کیلومتر", "مترمربع به ازای هر نفر", "دستگاه", "نفر", "هکتار", "مورد")


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _title(rng: random.Random, n: int = 4) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def _description(rng: random.Random, sentences: int = 2) -> str:
    parts = []
    for _ in range(sentences):
        parts.append(f"{_title(rng, rng.randint(5, 9))} {rng.choice(SENTENCE_TAIL)}")
    return "؛ ".join(parts) + "."


def _fa(n: object) -> str:
    return to_persian_digits(str(n))


def make_large_dump(axes: int = 6, goals_per_axis: int = 4, strategies_per_goal: int = 3,
                    programs_per_strategy: int = 3, n_projects: int = 20000, first_year: int = 1403,
                    last_year: int = 1410, strategic_indicators: int = 2, project_indicators: int = 1,
                    description_sentences: int = 2, seed: int = 1) -> dict[str, Any]:
    """A valid plan document with ``n_projects`` projects (see the module docstring)."""
    rng = random.Random(seed)
    years = list(range(first_year, last_year + 1))
    bounds = {y: fiscal_year_bounds(y) for y in years}

    org_units: list[dict[str, Any]] = []
    deputies = ["D-URB", "D-TRF", "D-SRV", "D-FIN", "D-CUL"]
    deputy_names = ["معاونت شهرسازی و معماری", "معاونت حمل‌ونقل و ترافیک", "معاونت خدمات شهری",
                    "معاونت مالی و اقتصادی", "معاونت فرهنگی و اجتماعی"]
    for code, name in zip(deputies, deputy_names, strict=True):
        org_units.append({"id": _uuid(rng), "code": code, "name": name, "kind": "deputy", "parent": None})
    for i in range(1, 16):
        org_units.append({"id": _uuid(rng), "code": f"R{i:02d}", "name": f"شهرداری منطقه {_fa(i)}",
                          "kind": "district", "parent": None})
        org_units.append({"id": _uuid(rng), "code": f"DEP-{i:02d}", "name": f"اداره {_title(rng, 2)} {_fa(i)}",
                          "kind": "department", "parent": deputies[i % len(deputies)]})
    unit_codes = [u["code"] for u in org_units]

    budget_codes: list[dict[str, Any]] = []
    leaves: list[str] = []
    for a in range(1, 6):
        budget_codes.append({"id": _uuid(rng), "code": str(a), "title": _title(rng, 2), "parent": None, "level": 1})
        for b in range(1, 6):
            mid = f"{a}0{b}"
            budget_codes.append({"id": _uuid(rng), "code": mid, "title": _title(rng, 3), "parent": str(a), "level": 2})
            for c in range(1, 5):
                leaf = f"{mid}00{c}"
                budget_codes.append({"id": _uuid(rng), "code": leaf, "title": _title(rng, 3), "parent": mid,
                                     "level": 3})
                leaves.append(leaf)

    def outcome_indicators(count: int) -> list[dict[str, Any]]:
        out = []
        for k in range(1, count + 1):
            base = round(rng.uniform(10, 60), 1)
            step = round(rng.uniform(0.5, 3), 1)
            direction = rng.choice(("increase", "increase", "decrease"))
            sign = 1 if direction == "increase" else -1
            targets = [{"year": y, "value": round(base + sign * step * (i + 1), 2)} for i, y in enumerate(years)]
            actuals = [{"year": y, "period": "annual", "note": "",
                        "value": round(base + sign * step * (i + 1) * rng.uniform(0.4, 1.1), 2)}
                       for i, y in enumerate(years[:3])]
            out.append({"id": _uuid(rng), "code": str(k), "title": _title(rng, 4), "kind": "outcome",
                        "unit": rng.choice(UNITS_OF_MEASURE), "direction": direction,
                        "baseline": {"year": first_year - 1, "value": base}, "definition": "", "data_source": "",
                        "frequency": "annual", "weight": 1, "targets": targets, "actuals": actuals})
        return out

    n_programs = axes * goals_per_axis * strategies_per_goal * programs_per_strategy
    per_program = [n_projects // n_programs + (1 if i < n_projects % n_programs else 0) for i in range(n_programs)]
    ceilings: dict[tuple[int, str], int] = {}
    program_index = 0
    plan_axes = []
    for ai in range(1, axes + 1):
        goals = []
        for gi in range(1, goals_per_axis + 1):
            strategies = []
            for si in range(1, strategies_per_goal + 1):
                programs = []
                for pi in range(1, programs_per_strategy + 1):
                    p_first = rng.choice(years[:-1])
                    p_last = min(p_first + rng.choice((0, 1)), last_year)
                    p_years = list(range(p_first, p_last + 1))
                    full = f"{ai}-{gi}-{si}-{pi}"
                    projects = []
                    for qi in range(1, per_program[program_index] + 1):
                        start_lo, _ = bounds[p_first]
                        _, end_hi = bounds[p_last]
                        span = (end_hi - start_lo).days
                        s_off = rng.randint(0, span // 3)
                        start = start_lo + timedelta(days=s_off)
                        end = start + timedelta(days=rng.randint(60, max(61, span - s_off)))
                        end = min(end, end_hi)
                        allocs = []
                        for y in p_years:
                            code = rng.choice(leaves)
                            amount = rng.randint(5, 400) * 1_000_000_000
                            allocs.append({"id": _uuid(rng), "year": y, "budget_code": code, "amount": amount,
                                           "spent": amount * rng.randint(0, 100) // 100})
                            ceilings[(y, code)] = ceilings.get((y, code), 0) + amount
                        indicators = []
                        for k in range(1, project_indicators + 1):
                            target = float(rng.randint(10, 200))
                            indicators.append({
                                "id": _uuid(rng), "code": str(k), "title": _title(rng, 3),
                                "kind": rng.choice(("output", "result")), "unit": rng.choice(UNITS_OF_MEASURE),
                                "direction": "increase", "baseline": {"year": p_first - 1, "value": 0},
                                "definition": "", "data_source": "", "frequency": "annual", "weight": 1,
                                "targets": [{"year": y, "value": target * (i + 1)} for i, y in enumerate(p_years)],
                                "actuals": [{"year": p_first, "period": "annual",
                                             "value": round(target * rng.uniform(0.3, 1.2), 1), "note": ""}],
                            })
                        projects.append({
                            "id": _uuid(rng), "kind": "project", "code": str(qi), "full_code": f"{full}-{qi}",
                            "title": _title(rng, 5), "description": _description(rng, description_sentences),
                            "responsible_unit": rng.choice(unit_codes), "order": qi,
                            "indicators": indicators, "lessons": [],
                            "start_date": start.isoformat(), "end_date": end.isoformat(),
                            "location": f"منطقه {_fa(rng.randint(1, 15))}", "weight": rng.choice((1, 1, 2, 3)),
                            "state": rng.choice(("planned", "in_progress", "in_progress", "completed")),
                            "allocations": allocs,
                            "progress_reports": [{"id": _uuid(rng), "year": p_first, "quarter": rng.randint(1, 4),
                                                  "physical_progress": float(rng.randint(0, 100)),
                                                  "spent": allocs[0]["spent"], "narrative": "",
                                                  "corrective_action": "", "reported_on": start.isoformat()}],
                        })
                    program_index += 1
                    programs.append(_node(rng, "program", pi, full, "projects", projects, unit_codes,
                                          description_sentences, [], first_year=p_first, last_year=p_last))
                strategies.append(_node(rng, "strategy", si, f"{ai}-{gi}-{si}", "programs", programs, unit_codes,
                                        description_sentences, outcome_indicators(strategic_indicators)))
            goals.append(_node(rng, "goal", gi, f"{ai}-{gi}", "strategies", strategies, unit_codes,
                               description_sentences, outcome_indicators(strategic_indicators)))
        plan_axes.append(_node(rng, "axis", ai, str(ai), "goals", goals, unit_codes, description_sentences,
                               outcome_indicators(strategic_indicators)))

    annual_budgets = []
    for y in years:
        lines = [{"budget_code": code, "ceiling": ceilings.get((y, code), 0) * 11 // 10 + 10_000_000_000}
                 for code in leaves]
        annual_budgets.append({"id": _uuid(rng), "year": y, "title": f"بودجه سال {_fa(y)}",
                               "approved_on": (bounds[y][0] - timedelta(days=15)).isoformat(),
                               "lines": lines, "amendments": []})
    plan = {
        "id": _uuid(rng), "code": "BIG-1410", "title": "برنامه‌ریزی راهبردی شهر بزرگ ۱۴۱۰",
        "first_year": first_year, "last_year": last_year,
        "vision": _description(rng, 3), "mission": _description(rng, 3), "status": "approved",
        "thresholds": {"on_track": 90, "at_risk": 70}, "source_municipality": None,
        "lessons": [{"id": _uuid(rng), "title": _title(rng, 4), "body": _description(rng, 3),
                     "recorded_on": bounds[first_year][0].isoformat(), "source_municipality": None}],
        "axes": plan_axes,
    }
    return {
        "format": "barnamenegar", "version": 1, "exported_at": "2026-11-25T10:00:00+00:00",
        "municipality": {"id": _uuid(rng), "name": "شهرداری شهر بزرگ", "province": "تهران"},
        "org_units": org_units, "budget_codes": budget_codes, "annual_budgets": annual_budgets,
        "plans": [plan],
    }


def _node(rng: random.Random, kind: str, index: int, full_code: str, children_key: str, kids: list,
          unit_codes: list[str], sentences: int, indicators: list, **extra: Any) -> dict[str, Any]:
    node = {"id": _uuid(rng), "kind": kind, "code": str(index), "full_code": full_code,
            "title": _title(rng, rng.randint(3, 6)), "description": _description(rng, sentences),
            "responsible_unit": rng.choice(unit_codes), "order": index, "indicators": indicators,
            "lessons": [], children_key: kids}
    node.update(extra)
    return node


def count_nodes(doc: dict[str, Any]) -> dict[str, int]:
    counts: dict[str, int] = {}
    stack = list(doc["plans"][0]["axes"])
    while stack:
        node = stack.pop()
        counts[node["kind"]] = counts.get(node["kind"], 0) + 1
        for key in ("goals", "strategies", "programs", "projects"):
            stack.extend(node.get(key, []))
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, help="write the document as JSON here")
    args = parser.parse_args()
    t0 = time.perf_counter()
    doc = make_large_dump(n_projects=args.projects, seed=args.seed)
    elapsed = time.perf_counter() - t0
    print(f"generated in {elapsed:.2f} s: {count_nodes(doc)}")
    if args.out:
        args.out.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        print(f"written to {args.out}")


if __name__ == "__main__":
    main()

