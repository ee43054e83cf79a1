"""Run wrk, the load generator, with requests.lua, and read the result line it prints."""

import json
import subprocess
from pathlib import Path

from course.bench import BenchmarkError

SCRIPT = Path(__file__).parent / "requests.lua"
THREADS, CONNECTIONS = 2, 50


def parse_wrk(output):
    """Read the BENCH_RESULT line that requests.lua prints."""
    for line in output.splitlines():
        if line.startswith("BENCH_RESULT "):
            raw = json.loads(line.removeprefix("BENCH_RESULT "))
            break
    else:
        raise BenchmarkError(f"wrk printed no BENCH_RESULT line:\n{output}")
    seconds = raw["duration_us"] / 1_000_000
    return {
        "requests": raw["requests"],
        "rps": raw["requests"] / seconds if seconds else 0.0,
        "p50_ms": raw["p50_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "errors": raw["status_errors"] + raw["socket_errors"],
        "status_errors": raw["status_errors"],  # answers with a status above 399
        "socket_errors": raw["socket_errors"],
        "wrapped": raw["wrapped"],
    }


def run_wrk(base_url, requests_file, seconds):
    options = f"-t{THREADS} -c{CONNECTIONS} -d{seconds}s --timeout 10s".split()
    command = ["wrk", *options, "-s", str(SCRIPT), base_url]
    command += ["--", str(requests_file), str(THREADS)]  # the script's own arguments
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    if done.returncode != 0:
        raise BenchmarkError(f"wrk failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return parse_wrk(done.stdout)
