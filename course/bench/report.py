"""The benchmark's figures: best rounds, ratios against the targets, the table, the machine."""

import os
import platform
import subprocess
from pathlib import Path

import django

from course.bench import SCALED

RATIO_TARGETS = [("b", 0.75), ("c", 0.30), ("e", 0.10)]  # req/s of X / req/s of a, at least
SCALING_TARGET = 1.2  # cost with many sections / cost with 1, at most
IMPORT_TARGET = 10.0  # seconds to import the large course, under


def machine():
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("\n")[0]
    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu,
        "python": platform.python_version(),
        "django": django.get_version(),
        "wrk": wrk.strip(),
        "load_average_before": os.getloadavg()[0],
    }


def summarize(results, imports, large):
    """Ratios and targets from the scenario results (a list of dicts)."""
    rps = {(r["key"], r["sections"]): r["rps"] for r in results}
    errors = {(r["key"], r["sections"]): r["errors"] for r in results}
    targets = []
    for key, target in RATIO_TARGETS:
        value = rps[key, 1] / rps["a", 1]
        clean = key != "e" or errors[key, 1] == 0
        targets.append(
            {
                "what": f"{key}/a" + (" with 0 errors" if key == "e" else ""),
                "value": round(value, 3),
                "target": f">= {target}",
                "met": value >= target and clean,
            }
        )
    for key in SCALED[1:]:
        # Cost is time per request relative to the floor measured on the same server,
        # so a machine busier during one of the two runs does not tilt the comparison.
        value = (rps[key, 1] / rps["a", 1]) / (rps[key, large] / rps["a", large])
        targets.append(
            {
                "what": f"{key} cost, {large} sections / 1",
                "value": round(value, 3),
                "target": f"<= {SCALING_TARGET}",
                "met": value <= SCALING_TARGET and errors[key, large] == 0,
            }
        )
    seconds = imports[large]
    targets.append(
        {
            "what": f"import of {large} sections, s",
            "value": round(seconds, 2),
            "target": f"< {IMPORT_TARGET}",
            "met": seconds < IMPORT_TARGET,
        }
    )
    return targets


def table(results, targets):
    lines = [
        f"{'scenario':<32} {'sections':>8} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}"
    ]
    for r in results:
        lines.append(
            f"{r['key'] + '  ' + r['name']:<32} {r['sections']:>8} {r['rps']:>9.1f} "
            f"{r['p50_ms']:>8.1f} {r['p99_ms']:>8.1f} {r['errors']:>7}"
        )
    lines += ["", f"{'ratio':<32} {'value':>8} {'target':>9}"]
    for t in targets:
        verdict = "met" if t["met"] else "MISSED"
        lines.append(f"{t['what']:<32} {t['value']:>8} {t['target']:>9}  {verdict}")
    return "\n".join(lines)


def best_of(rounds):
    """A scenario's best round, with the errors of all its rounds."""
    best = max(rounds, key=lambda result: result["rps"])
    errors = sum(result["errors"] for result in rounds)
    return best | {"errors": errors, "rounds_rps": [round(r["rps"], 1) for r in rounds]}
