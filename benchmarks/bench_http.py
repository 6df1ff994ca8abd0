"""HTTP throughput and latency of our pages against a bare Django view, per server.

For each server (uvicorn/ASGI as ``make run`` serves it, gunicorn/WSGI as production serves HTTP)
the benchmark starts the server itself on 127.0.0.1, on a throwaway migrated SQLite database under
``var/bench`` with DEBUG off and ``CONFIDE_BENCH=1`` (which adds ``/bench/floor``), then drives it
from a separate process: ``wrk`` when installed (``make bench`` installs Debian's), otherwise the
small keep-alive load generator at the bottom of this file. Every measurement is bounded
(``BENCH_SECONDS``, default 5 s, ``BENCH_CONNECTIONS``, default 8, ``BENCH_ROUNDS``, default 2;
``BENCH_SERVERS=uvicorn,gunicorn``) and every server is stopped.

Reported per server and path: req/s, p50 and p99 latency, and req/s as a ratio of the floor
(the bare view on the same server, in the same run). Target: our pages ≥ 40 % of the floor.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks.harness import Result, percentile

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "var" / "bench" / "http"
SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "2"))
TARGET = 0.40
#: A visitor who already answered the cookie banner (confide.privacy.consent.cookies): the home
#: page without the banner, as every visit after the first one sees it.
RETURNING = "confide_consent=1.000"
#: (label, path, cookie). The floor comes first so every page has its ratio.
PATHS = [
    ("floor", "/bench/floor", ""),
    ("home", "/", ""),
    ("home-returning", "/", RETURNING),
    ("healthz", "/healthz", ""),
]


def server_env() -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        CONFIDE_DATA_DIR=str(DATA_DIR),
        CONFIDE_BENCH="1",
        DEBUG="false",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    return env


def server_commands(port: int) -> dict[str, list[str]]:
    python = sys.executable
    bind = ["--host", "127.0.0.1", "--port", str(port)]
    return {
        # One process, exactly as `make run` (manage.py serve) runs the embedded default.
        "uvicorn": [
            python,
            "-m",
            "uvicorn",
            "confide.asgi:application",
            *bind,
            "--no-access-log",
            "--lifespan",
            "off",
            "--log-level",
            "warning",
        ],
        # Production HTTP: WSGI, one sync worker per core (the load generator gets the rest).
        "gunicorn": [
            python,
            "-m",
            "gunicorn",
            "confide.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            os.environ.get("BENCH_GUNICORN_WORKERS", "2"),
            "--worker-class",
            os.environ.get("BENCH_GUNICORN_CLASS", "sync"),
            "--log-level",
            "warning",
        ],
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def prepare_database() -> None:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=server_env(),
        check=True,
    )


def headers(cookie: str = "") -> dict[str, str]:
    return {"Accept-Language": "en", **({"Cookie": cookie} if cookie else {})}


def fetch(port: int, path: str, cookie: str = "") -> tuple[int, bytes]:
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path, headers=headers(cookie))
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@contextmanager
def running(name: str, command: list[str], port: int) -> Iterator[None]:
    log = DATA_DIR / f"{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=server_env(),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited at start; see {log}")
            try:
                status, _ = fetch(port, "/bench/floor")
                if status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not answer within 30 s; see {log}")
            time.sleep(0.1)
        yield
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


# --- load generation ------------------------------------------------------------------------------
_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", text.strip())
    if not match:
        raise ValueError(f"unexpected wrk latency {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def load_wrk(url: str, cookie: str) -> dict[str, float]:
    extra = [arg for name, value in headers(cookie).items() for arg in ("-H", f"{name}: {value}")]
    output = subprocess.run(
        [
            "wrk",
            "-t",
            "1",
            "-c",
            str(CONNECTIONS),
            "-d",
            f"{SECONDS:g}s",
            "--latency",
            *extra,
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=SECONDS + 30,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", output, re.MULTILINE))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    return {
        "rps": rps,
        "p50_ms": _ms(latency["50"]),
        "p99_ms": _ms(latency["99"]),
        "errors": float(errors.group(1)) if errors else 0.0,
        "socket_errors": 1.0 if socket_errors else 0.0,
    }


def load_python(url: str, cookie: str) -> dict[str, float]:
    """Fallback without wrk: this file's generator in a separate process."""
    arguments = [url, str(SECONDS), str(CONNECTIONS), cookie]
    output = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_http", "loadgen", *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=SECONDS + 60,
    ).stdout
    return dict(json.loads(output))


def generate_load(url: str, seconds: float, connections: int, cookie: str) -> dict[str, float]:
    """Keep-alive GETs from ``connections`` threads for ``seconds``; runs in its own process."""
    import http.client
    import threading
    from urllib.parse import urlparse

    parsed = urlparse(url)
    host = parsed.hostname or "127.0.0.1"
    samples: list[list[float]] = [[] for _ in range(connections)]
    errors = [0] * connections
    stop_at = time.perf_counter() + seconds

    def worker(index: int) -> None:
        connection = http.client.HTTPConnection(host, parsed.port, timeout=10)
        while time.perf_counter() < stop_at:
            started = time.perf_counter()
            try:
                connection.request("GET", parsed.path, headers=headers(cookie))
                response = connection.getresponse()
                response.read()
                if response.status >= 400:
                    errors[index] += 1
            except (OSError, http.client.HTTPException):
                errors[index] += 1
                connection.close()
                connection = http.client.HTTPConnection(host, parsed.port, timeout=10)
                continue
            samples[index].append(time.perf_counter() - started)
        connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    flat = [sample for group in samples for sample in group]
    return {
        "rps": len(flat) / elapsed,
        "p50_ms": percentile(flat, 50) * 1000,
        "p99_ms": percentile(flat, 99) * 1000,
        "errors": float(sum(errors)),
        "socket_errors": 0.0,
    }


def cpu_per_request(repeat: int = 300, rounds: int = 5) -> dict[str, float]:
    """CPU milliseconds per request through the whole Django stack (middleware, view, template),
    in this process, best of ``rounds``. Unlike req/s it hardly moves when other work shares the
    machine, so it shows where page time goes even on a busy host. Runs in its own process."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "confide.settings")
    django.setup()
    from django.test import Client

    client = Client()
    best: dict[str, float] = {}
    for label, path, cookie in PATHS:
        extra: dict[str, Any] = {"HTTP_ACCEPT_LANGUAGE": "en"}
        if cookie:
            extra["HTTP_COOKIE"] = cookie
        for _ in range(30):
            client.cookies.clear()
            assert client.get(path, **extra).status_code == 200, path
        for _ in range(rounds):
            started = time.process_time()
            for _ in range(repeat):
                client.cookies.clear()
                client.get(path, **extra)
            spent = (time.process_time() - started) / repeat * 1000
            best[label] = min(best.get(label, spent), spent)
    return best


def cpu_results() -> list[Result]:
    output = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_http", "cpu"],
        cwd=ROOT,
        env=server_env(),
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    ).stdout
    cpu = json.loads(output.splitlines()[-1])
    results = []
    for label, _path, _cookie in PATHS:
        print(f"  in-process {label:<15} {cpu[label]:.3f} ms CPU per request", flush=True)
        # As requests per CPU-second, so the ratio reads like the req/s ratios above.
        results.append(
            Result(
                "http",
                f"in-process {label} req per CPU-s",
                1000 / cpu[label],
                "req/CPU-s",
                floor=None if label == "floor" else 1000 / cpu["floor"],
                target="" if label == "floor" else f">= {TARGET:.0%} of floor",
                notes={"cpu_ms_per_request": cpu[label]},
            )
        )
    return results


# --- the benchmark --------------------------------------------------------------------------------
def measure(server: str, port: int, generator: str) -> list[Result]:
    """``ROUNDS`` passes over every path, alternating, keeping each path's best pass: on a shared
    machine other work only ever slows a pass down, so the best is the least disturbed."""
    for _label, path, cookie in PATHS:
        status, _ = fetch(port, path, cookie)
        if status != 200:
            raise RuntimeError(f"{server} answered {status} for {path}")
        for _ in range(50):  # warm up: imports, template loading, first connections
            fetch(port, path, cookie)
    best: dict[str, dict[str, float]] = {}
    for _round in range(ROUNDS):
        for label, path, cookie in PATHS:
            url = f"http://127.0.0.1:{port}{path}"
            figures = load_wrk(url, cookie) if generator == "wrk" else load_python(url, cookie)
            if figures["errors"] or figures["socket_errors"]:
                print(f"  warning: {server} {path}: errors during the run: {figures}", flush=True)
            print(
                f"  {server:<9} {label:<15} {figures['rps']:>9.0f} req/s  "
                f"p50 {figures['p50_ms']:.2f} ms  p99 {figures['p99_ms']:.2f} ms",
                flush=True,
            )
            if label not in best or figures["rps"] > best[label]["rps"]:
                best[label] = figures
    results = []
    floor_rps = best["floor"]["rps"]
    for label, path, cookie in PATHS:
        figures = best[label]
        is_floor = label == "floor"
        notes = {
            "path": path,
            "cookie": cookie,
            "generator": generator,
            "connections": CONNECTIONS,
            "seconds": SECONDS,
            "rounds": ROUNDS,
            **figures,
        }
        results.append(
            Result(
                "http",
                f"{server} {label} req/s",
                figures["rps"],
                "req/s",
                floor=None if is_floor else floor_rps,
                target="" if is_floor else f">= {TARGET:.0%} of floor",
                notes=notes,
            )
        )
        results.append(Result("http", f"{server} {label} p50 latency", figures["p50_ms"], "ms"))
        results.append(Result("http", f"{server} {label} p99 latency", figures["p99_ms"], "ms"))
    return results


def run() -> list[Result]:
    generator = os.environ.get("BENCH_GENERATOR") or ("wrk" if shutil.which("wrk") else "python")
    if generator == "python":
        print("  load from the Python generator (wrk not found or not chosen)", flush=True)
    prepare_database()
    results: list[Result] = cpu_results()
    selected = [s for s in os.environ.get("BENCH_SERVERS", "uvicorn,gunicorn").split(",") if s]
    for server in selected:
        port = free_port()
        with running(server, server_commands(port)[server], port):
            results.extend(measure(server, port, generator))
    return results


if __name__ == "__main__" and sys.argv[1:] == ["cpu"]:
    print(json.dumps(cpu_per_request()))
if __name__ == "__main__" and len(sys.argv) == 6 and sys.argv[1] == "loadgen":
    _, _, url, seconds, connections, cookie = sys.argv
    print(json.dumps(generate_load(url, float(seconds), int(connections), cookie)))
