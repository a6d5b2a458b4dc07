#!/usr/bin/env python3
"""Agent-runtime benchmark: webhooks and executions. Started by `scripts/bench.sh --runtime`;
see docs/benchmarks.md.

Starts the release server on fresh SQLite files (or, with `--pg ADMIN_URL`, fresh PostgreSQL
databases on that server), each part on its own, and prints one table, every figure measured
in this run:

(a) webhook ingestion: an environment, an agent of one `template` step and a webhook trigger,
    then `--events` events (`{"n": i}`) sent to `POST /api/webhook/{trigger_id}` with the
    account token by `--clients` concurrent keep-alive connections, on a server started with
    TESSERA_WORKERS=0 so every execution stays queued: events/s, the answers' p50/p99, and
    the rows counted in the database afterwards (`webhook_events`, `executions`, `jobs` of
    kind `run_execution`: each must equal the events sent, none lost, none doubled);
(b) event → running with idle workers: a fresh server with TESSERA_WORKERS=2; `--latency-events`
    events sent one at a time, each polled (`GET /api/agent-base/{agent}/executions/{id}`,
    every `--poll-ms`) until it has started and then until it has ended, so the workers are
    idle when the next is sent: p50/p99 of `executions.started_at − created_at` read from the
    database after the run, and of `started_at_ms` − the client's clock just before the POST;
(c) only with `--pg`: `--drain` executions of a two-step agent (`template`, then `kb_search`)
    queued with workers=0 (webhook events as in (a)), the database copied (CREATE DATABASE …
    TEMPLATE), then drained by ONE instance with TESSERA_WORKERS=2, and the copy by TWO
    (own ports and data folders, one shared server key): executions/s from the first start to
    the last end (`executions.started_at`/`finished_at`), the two-instance ratio, and the
    checks: none run twice (`attempts > 1`, executions whose step log is not exactly 2 rows),
    none lost (succeeded = queued, no job left).

Standard library only (plus `psql` with `--pg`, as scripts/bench.py uses).
"""

import argparse
import asyncio
import concurrent.futures
import contextlib
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.dont_write_bytecode = True  # no __pycache__ beside the scripts
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import (  # noqa: E402  (the benchmark's server and HTTP helpers)
    Server, create_pg_database, drop_pg_database, request, set_up,
)
from bench_assistant import percentile  # noqa: E402
from bench_kb import Client, expect_keys  # noqa: E402

EVENTS = 5000
CLIENTS = 16
LATENCY_EVENTS = 200
DRAIN = 10000
DRAIN_WORKERS = "2,1"
POLL_MS = 2.0
STARTED_TIMEOUT_SECS = 30     # (b): the longest wait for one execution to start and end
DRAIN_TIMEOUT_SECS = 1800     # (c): the longest wait for a drain
DRAIN_POLL_SECS = 0.2         # (c): how often the succeeded count is read meanwhile
FINISHED = {"succeeded", "failed", "canceled", "timed_out"}

ONE_STEP = {"steps": [{"id": "t", "kind": "template", "template": "{{ input.body.n }}"}]}
TWO_STEPS = {"steps": [{"id": "t", "kind": "template", "template": "q{{ input.body.n }}"},
                       {"id": "s", "kind": "kb_search", "query": "{{ steps.t }}"}]}

# Targets.
TARGET_EVENTS_PER_SEC = 2000      # (a), on SQLite
TARGET_STARTED_P50_MS = 50        # (b)
TARGET_TWO_INSTANCES = 1.6        # (c), two instances ÷ one


# --------------------------------------------------------------------------------------
# Databases: where each part runs, and reading its rows directly
# --------------------------------------------------------------------------------------

class Database:
    """Counts rows straight from the server's database: Python's sqlite3 for a SQLite URL
    (reads only), `psql` for a PostgreSQL one."""

    def __init__(self, url):
        self.url = url

    def rows(self, sql):
        if self.url.startswith("sqlite:"):
            path = "/" + self.url[len("sqlite:"):].lstrip("/").split("?")[0]
            with contextlib.closing(sqlite3.connect(path, timeout=30)) as conn:
                return [tuple(row) for row in conn.execute(sql).fetchall()]
        output = subprocess.run(["psql", self.url, "-qAtX", "-v", "ON_ERROR_STOP=1", "-c", sql],
                                check=True, capture_output=True, text=True).stdout
        return [tuple(_number(cell) for cell in line.split("|"))
                for line in output.splitlines() if line]

    def value(self, sql):
        return self.rows(sql)[0][0]


def _number(text):
    try:
        return int(text)
    except ValueError:
        return text


@contextlib.contextmanager
def databases(admin_url, workdir, prefix):
    """Makes fresh databases for the parts: `fresh(part)` returns (URL, data folder) of a new
    one, a SQLite file in its own folder under `workdir`, or a throwaway PostgreSQL database
    on `admin_url`'s server; `copy(url, part)` the same, as a copy of another PostgreSQL
    database. The PostgreSQL ones are dropped on leaving."""
    made = []

    def folder(part):
        path = os.path.join(workdir, part)
        os.makedirs(path, exist_ok=True)
        return path

    def fresh(part):
        if not admin_url:
            return f"sqlite://{folder(part)}/bench.db", folder(part)
        name, url = create_pg_database(admin_url, prefix=f"{prefix}_{part.replace('-', '_')}")
        made.append(name)
        return url, folder(part)

    def copy(source_url, part):
        source = urllib.parse.urlparse(source_url).path.lstrip("/")
        name = f"{prefix}_{part.replace('-', '_')}_{int(time.time())}_{random.randrange(1000)}"
        subprocess.run(["psql", admin_url, "-qc", f"CREATE DATABASE {name} TEMPLATE {source}"],
                       check=True)
        made.append(name)
        return urllib.parse.urlparse(admin_url)._replace(path="/" + name).geturl(), folder(part)

    try:
        yield fresh, copy
    finally:
        for name in made:
            drop_pg_database(admin_url, name)


# --------------------------------------------------------------------------------------
# Setting up: owner, token, environment, agent, trigger
# --------------------------------------------------------------------------------------

def api(server, token, method, path, body=None, expect=(200,)):
    status, data, _ = request(server.base + path, method, token=token, body=body)
    try:
        answer = json.loads(data) if data else None
    except ValueError:
        answer = data[:600]
    if status not in expect:
        raise SystemExit(f"{method} {path}: {status} {answer}")
    return answer


def deploy(server, config, name="bench-runtime"):
    """The owner, an account token, an environment, an agent of `config` and a webhook
    trigger: (token, agent id, trigger id)."""
    cookie, token = set_up(server)
    status, body, _ = request(server.base + "/rpc/create_environment", "POST", cookie=cookie,
                              form={"name": "Bench", "purpose": "testing", "description": ""})
    if status != 200:
        raise SystemExit(f"/rpc/create_environment: {status} {body[:600]!r}")
    environment = json.loads(body)
    expect_keys(environment, ["id", "public_id"], "/rpc/create_environment")
    agent = api(server, token, "POST", "/api/agent-base",
                {"name": name, "version": "1.0.0", "config": config}, expect=(201,))
    expect_keys(agent, ["id"], "POST /api/agent-base")
    trigger = api(server, token, "POST", "/api/agent-base/triggers",
                  {"name": f"{name}-webhook", "agent_id": agent["id"],
                   "environment_id": environment["id"], "kind": "webhook"}, expect=(201,))
    expect_keys(trigger, ["id", "kind"], "POST /api/agent-base/triggers")
    return token, agent["id"], trigger["id"]


def machine_busy():
    """(busy, total) CPU time of the whole machine so far, in clock ticks, from /proc/stat."""
    with open("/proc/stat") as stat:
        ticks = [int(n) for n in stat.readline().split()[1:]]
    idle = ticks[3] + ticks[4]   # idle + iowait
    return sum(ticks) - idle, sum(ticks)


def cpu_seconds(pid):
    """User + system CPU time of a process so far, from /proc."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# --------------------------------------------------------------------------------------
# Sending events: kept-alive connections on one asyncio loop, each request written as bytes,
# so the client's own cost per event stays small beside the server's
# --------------------------------------------------------------------------------------

async def _read_answer(reader):
    """(status, body bytes, whether the server keeps the connection) of one HTTP/1.1 answer."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if sep:
            headers[name.strip().lower()] = value.strip()
    if headers.get("transfer-encoding", "").lower() == "chunked":
        body = b""
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            chunk = await reader.readexactly(size + 2)
            if size == 0:
                break
            body += chunk[:-2]
    else:
        body = await reader.readexactly(int(headers.get("content-length", "0")))
    return status, body, headers.get("connection", "").lower() != "close"


async def _send_all(base, token, path, numbers, clients):
    parsed = urllib.parse.urlparse(base)
    host, port = parsed.hostname, parsed.port
    head = (f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
            f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n").encode()
    results = {}
    pending = iter(numbers)

    async def client():
        reader = writer = None
        for n in pending:
            body = b'{"n": %d}' % n
            message = head + b"Content-Length: %d\r\n\r\n" % len(body) + body
            started = time.perf_counter()
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection(host, port)
                    started = time.perf_counter()
                writer.write(message)
                status, answer, keep = await _read_answer(reader)
            except (OSError, asyncio.IncompleteReadError, ValueError) as error:
                results[n] = (None, f"{type(error).__name__}: {error}", 0.0)
                if writer is not None:
                    writer.close()
                reader = writer = None
                continue
            results[n] = (status, answer, time.perf_counter() - started)
            if not keep:
                writer.close()
                reader = writer = None
        if writer is not None:
            writer.close()

    await asyncio.gather(*(client() for _ in range(clients)))
    return results


def send_events(server, token, trigger_id, count, clients):
    """Sends `{"n": 0…count-1}` to the trigger with `clients` connections: (seconds from the
    first to the last answer, client CPU seconds, server CPU seconds, per-event results
    `n → (status, parsed answer or error text, seconds)`)."""
    cpu_before, server_before = time.process_time(), cpu_seconds(server.process.pid)
    started = time.perf_counter()
    raw = asyncio.run(_send_all(server.base, token, f"/api/webhook/{trigger_id}",
                                range(count), clients))
    seconds = time.perf_counter() - started
    client_cpu = time.process_time() - cpu_before
    server_cpu = cpu_seconds(server.process.pid) - server_before
    results = {}
    for n, (status, answer, elapsed) in raw.items():
        if isinstance(answer, bytes):
            try:
                answer = json.loads(answer)
            except ValueError:
                answer = answer[:300].decode("utf-8", "replace")
        results[n] = (status, answer, elapsed)
    return seconds, client_cpu, server_cpu, results


def accepted_ids(results, what):
    """The execution ids of the 202 answers; the other answers, summed up."""
    ids, refused = [], {}
    for n in sorted(results):
        status, answer, _ = results[n]
        if status == 202 and isinstance(answer, dict) and "execution_id" in answer:
            ids.append(answer["execution_id"])
        else:
            key = f"{status}: {str(answer)[:200]}"
            refused[key] = refused.get(key, 0) + 1
    if refused:
        print(f"{what}: answers other than 202: " + "; ".join(
            f"{count} × {key}" for key, count in refused.items()), file=sys.stderr)
    return ids, refused


# --------------------------------------------------------------------------------------
# (a) Ingestion
# --------------------------------------------------------------------------------------

def ingestion(binary, fresh, events, clients):
    url, data_dir = fresh("ingest")
    server = Server(binary, url, data_dir, f"{data_dir}/server.log",
                    extra_env={"TESSERA_WORKERS": "0"})
    try:
        token, agent_id, trigger_id = deploy(server, ONE_STEP)
        print(f"(a) sending {events} webhook events with {clients} clients (workers=0) …",
              file=sys.stderr)
        seconds, client_cpu, server_cpu, results = send_events(server, token, trigger_id,
                                                               events, clients)
        ids, refused = accepted_ids(results, "(a)")
        db = Database(url)
        counts = {
            "webhook_events": db.value("SELECT COUNT(*) FROM webhook_events"),
            "webhook_events_distinct": db.value(
                "SELECT COUNT(DISTINCT execution_id) FROM webhook_events"),
            "webhook_events_linked": db.value(
                "SELECT COUNT(*) FROM webhook_events w JOIN executions e "
                "ON e.id = w.execution_id"),
            "executions": db.value("SELECT COUNT(*) FROM executions"),
            "executions_queued": db.value(
                "SELECT COUNT(*) FROM executions WHERE status = 'queued'"),
            "jobs": db.value("SELECT COUNT(*) FROM jobs WHERE kind = 'run_execution'"),
            "jobs_distinct": db.value(
                "SELECT COUNT(DISTINCT subject_id) FROM jobs WHERE kind = 'run_execution'"),
            "jobs_linked": db.value(
                "SELECT COUNT(*) FROM jobs j JOIN executions e ON e.id = j.subject_id "
                "WHERE j.kind = 'run_execution'"),
        }
        stored = {row[0] for row in db.rows("SELECT id FROM executions")}
    finally:
        server.stop()
    latencies = [elapsed for status, _, elapsed in results.values() if status == 202]
    return {
        "events": events, "clients": clients, "seconds": seconds,
        "client_cpu": client_cpu, "server_cpu": server_cpu,
        "accepted": len(ids), "distinct_ids": len(set(ids)), "refused": refused,
        "answered_ids_stored": len(set(ids) & stored),
        "p50": percentile(latencies, 0.5), "p99": percentile(latencies, 0.99),
        "counts": counts,
    }


# --------------------------------------------------------------------------------------
# (b) Event → running, idle workers
# --------------------------------------------------------------------------------------

def latency(binary, fresh, events, poll_ms):
    url, data_dir = fresh("latency")
    server = Server(binary, url, data_dir, f"{data_dir}/server.log",
                    extra_env={"TESSERA_WORKERS": "2"})
    client_ms, ids, outcomes = [], [], {}
    try:
        token, agent_id, trigger_id = deploy(server, ONE_STEP)
        client = Client(server.base, token)
        client.get("/api/ping")  # the connection is open before the first clock
        print(f"(b) sending {events} events one at a time (workers=2), polling every "
              f"{poll_ms:g} ms …", file=sys.stderr)
        for n in range(events):
            sent_ms = time.time() * 1000
            status, answer, _ = client.call("POST", f"/api/webhook/{trigger_id}",
                                            body=json.dumps({"n": n}).encode(),
                                            headers={"Content-Type": "application/json"})
            if status != 202:
                raise SystemExit(f"(b) POST /api/webhook/{trigger_id}: {status} {answer}")
            execution_id = answer["execution_id"]
            ids.append(execution_id)
            path = f"/api/agent-base/{agent_id}/executions/{execution_id}"
            deadline = time.perf_counter() + STARTED_TIMEOUT_SECS
            started = False
            while True:
                status, execution, _ = client.get(path)
                if status != 200:
                    raise SystemExit(f"(b) GET {path}: {status} {execution}")
                if not started and execution.get("started_at_ms") is not None:
                    client_ms.append(execution["started_at_ms"] - sent_ms)
                    started = True
                if execution["status"] in FINISHED:
                    outcomes[execution["status"]] = outcomes.get(execution["status"], 0) + 1
                    break
                if time.perf_counter() > deadline:
                    raise SystemExit(f"(b) execution {execution_id} still {execution['status']} "
                                     f"after {STARTED_TIMEOUT_SECS} s")
                time.sleep(poll_ms / 1000)
        db = Database(url)
        rows = db.rows("SELECT id, created_at, started_at, finished_at FROM executions")
    finally:
        server.stop()
    sent = set(ids)
    timed = [row for row in rows if row[0] in sent and row[2] not in (None, "")]
    to_start = [row[2] - row[1] for row in timed]
    to_end = [row[3] - row[1] for row in timed if row[3] not in (None, "")]
    return {
        "events": events, "poll_ms": poll_ms, "outcomes": outcomes,
        "db_p50": percentile(to_start, 0.5), "db_p99": percentile(to_start, 0.99),
        "db_max": max(to_start) if to_start else None,
        "end_p50": percentile(to_end, 0.5), "end_p99": percentile(to_end, 0.99),
        "client_p50": percentile(client_ms, 0.5), "client_p99": percentile(client_ms, 0.99),
    }


# --------------------------------------------------------------------------------------
# (c) Draining a backlog with one and two instances (PostgreSQL)
# --------------------------------------------------------------------------------------

def queue_backlog(binary, fresh, count, clients):
    """A database with `count` queued executions of the two-step agent (workers=0)."""
    url, data_dir = fresh("queue")
    server = Server(binary, url, data_dir, f"{data_dir}/server.log",
                    extra_env={"TESSERA_WORKERS": "0"})
    try:
        token, _, trigger_id = deploy(server, TWO_STEPS)
        print(f"(c) queueing {count} executions of the two-step agent (workers=0) …",
              file=sys.stderr)
        seconds, _, _, results = send_events(server, token, trigger_id, count, clients)
        ids, refused = accepted_ids(results, "(c) queueing")
    finally:
        server.stop()
    queued = Database(url).value("SELECT COUNT(*) FROM executions WHERE status = 'queued'")
    return url, {"sent": count, "accepted": len(ids), "queued": queued, "seconds": seconds}


def drain(binary, url, data_dir, instances, workers, expected):
    """Starts `instances` servers with TESSERA_WORKERS=`workers` on the database at once and
    waits until `expected` executions have succeeded (or nothing moves for a minute)."""
    db = Database(url)
    key = os.urandom(32).hex()   # one server key for all instances, as in a real deployment
    def start(i):
        folder = os.path.join(data_dir, f"instance-{i + 1}")
        os.makedirs(folder, exist_ok=True)
        return Server(binary, url, folder, f"{folder}/server.log",
                      extra_env={"TESSERA_WORKERS": str(workers), "TESSERA_SECRET_KEY": key})
    print(f"(c) draining {expected} executions with {instances} instance(s) of {workers} "
          f"worker(s) …", file=sys.stderr)
    launched = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(instances) as pool:   # all start together
        servers = list(pool.map(start, range(instances)))
    cpu_before = [cpu_seconds(s.process.pid) for s in servers]
    machine_before = machine_busy()
    try:
        done, last, moved = 0, -1, time.perf_counter()
        while done < expected:
            time.sleep(DRAIN_POLL_SECS)
            done = db.value("SELECT COUNT(*) FROM executions WHERE status <> 'queued' "
                            "AND status <> 'running'")
            if done != last:
                last, moved = done, time.perf_counter()
            if time.perf_counter() - moved > 60 or time.perf_counter() - launched > \
                    DRAIN_TIMEOUT_SECS:
                print(f"(c) gave up waiting: {done} of {expected} executions ended",
                      file=sys.stderr)
                break
        wall = time.perf_counter() - launched
        cpu = [cpu_seconds(s.process.pid) - before for s, before in zip(servers, cpu_before)]
        machine_after = machine_busy()
        busy = (machine_after[0] - machine_before[0]) / max(machine_after[1] - machine_before[1], 1)
    finally:
        for server in servers:
            server.stop()
    first, last_end = db.rows("SELECT MIN(started_at), MAX(finished_at) FROM executions")[0]
    seconds = (last_end - first) / 1000 if isinstance(first, int) and \
        isinstance(last_end, int) and last_end > first else None
    statuses = dict(db.rows("SELECT status, COUNT(*) FROM executions GROUP BY status"))
    return {
        "instances": instances, "workers": workers, "expected": expected, "wall": wall, "seconds": seconds,
        "rate": statuses.get("succeeded", 0) / seconds if seconds else None,
        "statuses": statuses, "cpu": cpu, "busy": busy,
        "attempts_over_1": db.value("SELECT COUNT(*) FROM executions WHERE attempts > 1"),
        "steps_not_2": db.value(
            "SELECT COUNT(*) FROM (SELECT execution_id FROM execution_steps "
            "GROUP BY execution_id HAVING COUNT(*) <> 2) AS odd"),
        "without_steps": db.value(
            "SELECT COUNT(*) FROM executions e WHERE NOT EXISTS "
            "(SELECT 1 FROM execution_steps s WHERE s.execution_id = e.id)"),
        "step_rows": db.value("SELECT COUNT(*) FROM execution_steps"),
        "jobs_left": db.value("SELECT COUNT(*) FROM jobs WHERE kind = 'run_execution'"),
    }


def drains(binary, fresh, copy, count, clients, worker_counts):
    """One backlog, drained on copies of it by one and then two instances, for each worker
    count: [(one, two), …] in the order of `worker_counts`."""
    source, queued = queue_backlog(binary, fresh, count, clients)
    pairs = []
    for workers in worker_counts:
        pair = []
        for instances in (1, 2):
            url, data_dir = copy(source, f"drain-{workers}-{instances}")
            pair.append(drain(binary, url, data_dir, instances, workers, queued["queued"]))
        pairs.append(tuple(pair))
    return queued, pairs


# --------------------------------------------------------------------------------------
# The run and the report
# --------------------------------------------------------------------------------------

def run(args):
    workdir = tempfile.mkdtemp(prefix="tessera-bench-runtime-")
    engine = "PostgreSQL" if args.pg else "SQLite"
    load_before = os.getloadavg()[0]
    with databases(args.pg, workdir, "tessera_bench_runtime") as (fresh, copy):
        a = ingestion(args.binary, fresh, args.events, args.clients)
        b = latency(args.binary, fresh, args.latency_events, args.poll_ms)
        c = drains(args.binary, fresh, copy, args.drain, args.clients,
                   args.drain_workers) if args.pg else None
    load = (load_before, os.getloadavg()[0])
    report(engine, a, b, c, load)
    shutil.rmtree(workdir, ignore_errors=True)


def ms(value):
    return f"{value:.1f} ms" if value is not None else "—"


def report(engine, a, b, c, load):
    verdict = lambda ok: "✅" if ok else "❌"
    rate = a["accepted"] / a["seconds"]
    n = a["events"]
    counts = a["counts"]

    print()
    print(f"agent runtime on {engine}, release build; (a) {n} webhook events `{{\"n\": i}}` to "
          f"one trigger, {a['clients']} kept-alive connections (Python asyncio), server with "
          f"TESSERA_WORKERS=0; (b) {b['events']} events one at a time, TESSERA_WORKERS=2, each "
          f"polled every {b['poll_ms']:g} ms until it ended"
          + (f"; (c) {c[0]['queued']} queued executions of a template + kb_search agent "
             f"drained by 1, then 2 instances (TESSERA_WORKERS="
             f"{' and then '.join(str(one['workers']) for one, _ in c[1])} each) on copies of "
             f"one database" if c else "")
          + f"; {os.cpu_count()} CPUs shared by the server(s), the database and this script "
          f"(load average {load[0]:.1f} at the start, {load[1]:.1f} at the end)")
    print()
    print("| measurement | value | target |")
    print("|---|---:|---|")
    target = (f"≥ {TARGET_EVENTS_PER_SEC:,} {verdict(rate >= TARGET_EVENTS_PER_SEC)}"
              if engine == "SQLite" else f"— (≥ {TARGET_EVENTS_PER_SEC:,} on SQLite)")
    print(f"| (a) webhook events/s, {a['clients']} clients | {rate:,.0f} "
          f"({a['accepted']:,} in {a['seconds']:.2f} s) | {target} |")
    print(f"| … answer p50 / p99 | {ms(a['p50'] * 1000 if a['p50'] is not None else None)} / "
          f"{ms(a['p99'] * 1000 if a['p99'] is not None else None)} | — |")
    print(f"| … CPU: server / this client | {a['server_cpu']:.1f} s / {a['client_cpu']:.1f} s "
          f"| — |")
    refused = sum(a["refused"].values())
    print(f"| … answered 202 (distinct execution ids) | {a['accepted']:,} "
          f"({a['distinct_ids']:,}) | {n:,} {verdict(a['accepted'] == n == a['distinct_ids'])} |")
    if refused:
        print(f"| … other answers | {refused:,}: "
              + "; ".join(f"{k[:80]} × {v}" for k, v in a["refused"].items()) + " | 0 ❌ |")
    print(f"| … `webhook_events` rows (distinct executions, joined to one) | "
          f"{counts['webhook_events']:,} ({counts['webhook_events_distinct']:,}, "
          f"{counts['webhook_events_linked']:,}) | {n:,} "
          f"{verdict(counts['webhook_events'] == counts['webhook_events_distinct'] == counts['webhook_events_linked'] == n)} |")
    print(f"| … `executions` rows (queued; answered ids found) | {counts['executions']:,} "
          f"({counts['executions_queued']:,}; {a['answered_ids_stored']:,}) | {n:,} "
          f"{verdict(counts['executions'] == counts['executions_queued'] == a['answered_ids_stored'] == n)} |")
    print(f"| … `jobs` rows of kind run_execution (distinct, joined to one) | "
          f"{counts['jobs']:,} ({counts['jobs_distinct']:,}, {counts['jobs_linked']:,}) | "
          f"{n:,} {verdict(counts['jobs'] == counts['jobs_distinct'] == counts['jobs_linked'] == n)} |")
    outcomes = ", ".join(f"{k} {v}" for k, v in sorted(b["outcomes"].items())) or "—"
    p50_ok = b["db_p50"] is not None and b["db_p50"] <= TARGET_STARTED_P50_MS
    print(f"| (b) event → running, p50 (`started_at − created_at`, {b['events']} events) | "
          f"{ms(b['db_p50'])} | ≤ {TARGET_STARTED_P50_MS} ms {verdict(p50_ok)} |")
    print(f"| … p99 (max) | {ms(b['db_p99'])} ({ms(b['db_max'])}) | — |")
    print(f"| … from the client's clock before the POST, p50 / p99 | {ms(b['client_p50'])} / "
          f"{ms(b['client_p99'])} | — |")
    print(f"| … event → ended (`finished_at − created_at`), p50 / p99 | {ms(b['end_p50'])} / "
          f"{ms(b['end_p99'])} | — |")
    print(f"| … outcomes | {outcomes} | all succeeded "
          f"{verdict(b['outcomes'].get('succeeded', 0) == b['events'])} |")
    if c:
        queued, pairs = c
        print(f"| (c) queued for the drains (webhook events, {queued['sent'] / queued['seconds']:,.0f}/s) | "
              f"{queued['queued']:,} of {queued['sent']:,} sent | {queued['sent']:,} "
              f"{verdict(queued['queued'] == queued['sent'])} |")
        for one, two in pairs:
            for d in (one, two):
                label = ("one instance" if d["instances"] == 1 else "two instances") + \
                    f" of {d['workers']} worker{'s' if d['workers'] > 1 else ''}"
                rate_text = (f"{d['rate']:,.0f} ({d['seconds']:.1f} s first start → last end; "
                             f"{d['wall']:.1f} s from launch)" if d["rate"] else "—")
                print(f"| … drain, {label}: executions/s | {rate_text} | — |")
                cpu = " + ".join(f"{x:.1f}" for x in d["cpu"])
                print(f"| … … server CPU s | {cpu} | — |")
                print(f"| … … the machine's CPUs busy (server, PostgreSQL, client, all else) | "
                      f"{d['busy']:.0%} of {os.cpu_count()} | — |")
                others = {k: v for k, v in d["statuses"].items() if k != "succeeded"}
                succeeded = d["statuses"].get("succeeded", 0)
                lost_ok = succeeded == d["expected"] and not others and d["jobs_left"] == 0
                print(f"| … … succeeded of queued (other statuses; jobs left) | {succeeded:,} of "
                      f"{d['expected']:,} ({', '.join(f'{k} {v}' for k, v in others.items()) or 'none'}; "
                      f"{d['jobs_left']}) | all, none left {verdict(lost_ok)} |")
                twice_ok = (d["attempts_over_1"] == 0 and d["steps_not_2"] == 0
                            and d["without_steps"] == 0)
                print(f"| … … run twice: `attempts > 1` / step logs ≠ 2 rows / without steps "
                      f"(step rows) | {d['attempts_over_1']} / {d['steps_not_2']} / "
                      f"{d['without_steps']} ({d['step_rows']:,}) | 0 / 0 / 0 {verdict(twice_ok)} |")
            if one["rate"] and two["rate"]:
                ratio = two["rate"] / one["rate"]
                print(f"| … two instances ÷ one, {one['workers']} worker(s) each | {ratio:.2f}× | ≥ {TARGET_TWO_INSTANCES}× "
                      f"{verdict(ratio >= TARGET_TWO_INSTANCES)} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True)
    parser.add_argument("--pg", metavar="ADMIN_URL",
                        help="run on throwaway databases on this PostgreSQL server, and add "
                             "the drain with one and two instances (c)")
    parser.add_argument("--events", type=int, default=EVENTS,
                        help=f"(a) webhook events to send ({EVENTS})")
    parser.add_argument("--clients", type=int, default=CLIENTS,
                        help=f"(a), (c) concurrent connections sending them ({CLIENTS})")
    parser.add_argument("--latency-events", type=int, default=LATENCY_EVENTS,
                        help=f"(b) events sent one at a time ({LATENCY_EVENTS})")
    parser.add_argument("--poll-ms", type=float, default=POLL_MS,
                        help=f"(b) how often an execution is polled ({POLL_MS:g} ms)")
    parser.add_argument("--drain", type=int, default=DRAIN,
                        help=f"(c) executions to queue and drain, with --pg ({DRAIN})")
    parser.add_argument("--drain-workers", default=DRAIN_WORKERS,
                        type=lambda text: [int(n) for n in text.split(",")],
                        help="(c) TESSERA_WORKERS of each instance, one drain pair per count "
                             f"({DRAIN_WORKERS}: the default, then one worker, which leaves "
                             "the CPUs room for a second instance on a small machine)")
    args = parser.parse_args()
    run(args)


if __name__ == "__main__":
    main()
