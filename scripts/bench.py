#!/usr/bin/env python3
"""Bearer-authentication benchmark (issue 6). Started by scripts/bench.sh; see docs/benchmarks.md.

Mode `sqlite` (default): starts the release server on a fresh SQLite file and prints one table,
every figure measured in this run with wrk: the same small JSON answer (a) without a token
(`/api/ping`), (b) with one valid token, (c) with 1,000 valid tokens in rotation, (d) under a
flood of malformed tokens, (e) good traffic beside a flood of wrong-secret tokens; the ratios;
the cold first verification; and the usage-count check.

Mode `pg`: two instances on one PostgreSQL database; how long after a revocation on one the
other refuses the token.

Mode `memory` (issue 19): the server's resident memory (RSS) at start, after every thousand of
4,000 token creations, after 2,000 sign-ins (half wrong), after the bearer load, and at its
highest during 200 concurrent wrong sign-ins (from one address, then from 200).

Standard library only, plus the `wrk` load generator (Debian package `wrk`).
"""

import argparse
import concurrent.futures
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
DURATION = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
THREADS = int(os.environ.get("BENCH_THREADS", "2"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "2"))
FLOOD_CONNECTIONS = int(os.environ.get("BENCH_FLOOD_CONNECTIONS", str(CONNECTIONS)))
ROTATION = 1000


# --------------------------------------------------------------------------------------
# Tokens (SPEC §2), to forge well-formed tokens with wrong secrets
# --------------------------------------------------------------------------------------

def checksum(body):
    value = zlib.crc32(body.encode("ascii"))
    digits = []
    for _ in range(6):
        digits.append(ALPHABET[value % 62])
        value //= 62
    return "".join(reversed(digits))


def forge(key_id):
    secret = "".join(random.choice(ALPHABET) for _ in range(32))
    body = "tsr_" + key_id + secret
    return body + checksum(body)


# --------------------------------------------------------------------------------------
# Server and HTTP helpers
# --------------------------------------------------------------------------------------

def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, binary, database_url, data_dir, log_path, extra_env=None):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ)
        env.update({
            "TESSERA_ADDR": f"127.0.0.1:{self.port}",
            "DATABASE_URL": database_url,
            "TESSERA_DATA_DIR": data_dir,
            "TESSERA_USAGE_FLUSH_SECS": "1",
            "RUST_LOG": "warn",
        })
        env.update(extra_env or {})
        self.log = open(log_path, "wb")
        self.process = subprocess.Popen([binary], env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if request(self.base + "/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise SystemExit(f"the server did not start; see {log_path}")

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)
        self.log.close()


def request(url, method="GET", token=None, body=None, form=None, cookie=None, headers=None,
            data=None, timeout=30):
    """One HTTP exchange: (status, body bytes, headers). `body` is sent as JSON, `form` as a
    form, `data` as it is (bytes, or a file with Content-Length in `headers`)."""
    headers = dict(headers or {})
    if token is not None:
        headers["Authorization"] = "Bearer " + token
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if form is not None:
        data = urllib.parse.urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Sec-Fetch-Site"] = "same-origin"
    if cookie is not None:
        headers["Cookie"] = cookie
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers


def set_up(server):
    """First-run setup, then one account token; returns (cookie, token)."""
    status, body, headers = request(server.base + "/rpc/setup_workspace", "POST", form={
        "workspace_name": "Bench", "name": "Bench Owner",
        "email": "bench@example.com", "password": "bench password 1234",
    })
    assert status == 200, body
    cookie = headers["Set-Cookie"].split(";")[0]
    status, body, _ = request(server.base + "/rpc/create_token", "POST",
                              form={"name": "bench admin"}, cookie=cookie)
    assert status == 200, body
    return cookie, json.loads(body)["plaintext"]


def create_tokens(server, admin, count, prefix, start=0):
    def one(n):
        status, body, _ = request(server.base + "/api/tokens", "POST", token=admin,
                                  body={"name": f"{prefix}-{n:04d}"})
        assert status == 201, body
        created = json.loads(body)
        return created["token"]["id"], created["plaintext"]
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        return list(pool.map(one, range(start, start + count)))


# --------------------------------------------------------------------------------------
# wrk
# --------------------------------------------------------------------------------------

# Every figure goes through this same script, so the load generator does the same work in
# each: no token (an empty list), one token, or a rotation through many; one path, or a
# rotation through many (the knowledge-base benchmark's search queries).
ROTATE_LUA = """
local function lines(variable)
  local list = {}
  for line in io.lines(os.getenv(variable)) do
    if #line > 0 then list[#list + 1] = line end
  end
  return list
end
local tokens = lines("BENCH_TOKENS")
local paths = lines("BENCH_PATHS")
local i, j = 0, 0
init = function(args)
  if #tokens > 0 then i = math.random(#tokens) end
  j = math.random(#paths)
end
request = function()
  j = j % #paths + 1
  if #tokens == 0 then return wrk.format("GET", paths[j], {}) end
  i = i % #tokens + 1
  return wrk.format("GET", paths[j], {["Authorization"] = "Bearer " .. tokens[i]})
end
"""


def to_ms(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def wrk_start(url, tokens, duration=DURATION, connections=CONNECTIONS, workdir=".", paths=None,
              threads=THREADS):
    """Starts wrk sending `tokens` in rotation (none: no Authorization header) to `url`'s path,
    or to `paths` (path and query, already URL-encoded) in rotation."""
    def list_file(kind, lines):
        name = os.path.join(workdir, f"{kind}-{random.random()}.txt")
        with open(name, "w") as file:
            file.write("\n".join(lines) + "\n")
        return name
    script = os.path.join(workdir, "rotate.lua")
    with open(script, "w") as file:
        file.write(ROTATE_LUA)
    env = dict(os.environ, BENCH_TOKENS=list_file("tokens", tokens),
               BENCH_PATHS=list_file("paths", paths or [urllib.parse.urlparse(url).path]))
    args = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{duration}s", "--latency",
            "-s", script, url]
    return subprocess.Popen(args, env=env, stdout=subprocess.PIPE, text=True)


def wrk_result(process):
    output = process.communicate()[0]
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = to_ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
    p99 = to_ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    total = int(re.search(r"(\d+) requests in", output).group(1))
    return {"rps": rps, "p50": p50, "p99": p99, "total": total,
            "non_2xx": int(non_2xx.group(1)) if non_2xx else 0}


def wrk_run(url, **kwargs):
    return wrk_result(wrk_start(url, **kwargs))


# --------------------------------------------------------------------------------------
# Modes
# --------------------------------------------------------------------------------------

def sqlite_mode(binary):
    workdir = tempfile.mkdtemp(prefix="tessera-bench-")
    server = Server(binary, f"sqlite://{workdir}/bench.db", workdir, f"{workdir}/server.log")
    try:
        _, admin = set_up(server)
        ping = server.base + "/api/ping"
        me = server.base + "/api/tokens/self"

        print(f"creating {ROTATION} tokens …", file=sys.stderr)
        rotation = create_tokens(server, admin, ROTATION, "rotation")
        spares = create_tokens(server, admin, 5, "cold")

        # Cold first verification (argon2 on the blocking pool) against a warm repeat.
        cold, warm = [], []
        for _, token in spares:
            started = time.perf_counter()
            assert request(me, token=token)[0] == 200
            cold.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            assert request(me, token=token)[0] == 200
            warm.append((time.perf_counter() - started) * 1000)

        # Every rotation token verified once, so (c) measures the steady state.
        print("verifying the rotation tokens once …", file=sys.stderr)
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            statuses = list(pool.map(lambda t: request(me, token=t[1])[0], rotation))
        assert statuses.count(200) == ROTATION, statuses

        print("measuring (a) … (d) …", file=sys.stderr)
        tokens = [t for _, t in rotation]
        # Alternated and repeated: the machine is shared, so each figure is the better of
        # ROUNDS runs, and (a) … (d) see the same conditions in turn.
        cases = {"a": [], "b": [admin], "c": tokens, "d": ["tsr_" + "x" * 50]}
        best = {}
        for _ in range(ROUNDS):
            for name, sent in cases.items():
                result = wrk_run(ping, tokens=sent, workdir=workdir)
                if name not in best or result["rps"] > best[name]["rps"]:
                    best[name] = result
        a, b, c, d = best["a"], best["b"], best["c"], best["d"]
        assert d["non_2xx"] == d["total"] and b["non_2xx"] == 0 and c["non_2xx"] == 0, best

        # Usage: N requests sent → the stored count grows by exactly N after a flush.
        usage_id, usage_token = spares[0]
        def stored():
            status, body, _ = request(f"{server.base}/api/tokens/{usage_id}", token=admin)
            assert status == 200, body
            return json.loads(body)["usage_count"]
        time.sleep(1.5)
        before = stored()
        sent = 2000
        with concurrent.futures.ThreadPoolExecutor(16) as pool:
            statuses = list(pool.map(lambda _: request(me, token=usage_token)[0], range(sent)))
        assert statuses.count(200) == sent
        time.sleep(1.5)
        grew = stored() - before

        # (e): good traffic (the rotation) while a flood of wrong secrets for the same key ids
        # runs beside it, from the same address.
        print("measuring (e) …", file=sys.stderr)
        key_ids = [token[4:16] for _, token in rotation]
        wrong = [forge(random.choice(key_ids)) for _ in range(20000)]
        flood = wrk_start(ping, tokens=wrong, duration=DURATION + 2,
                          connections=FLOOD_CONNECTIONS, workdir=workdir)
        time.sleep(1)
        e = wrk_run(ping, tokens=tokens, workdir=workdir)
        flood_result = wrk_result(flood)
    finally:
        server.stop()

    rows = [
        ("(a) no token", a),
        ("(b) one valid token", b),
        (f"(c) {ROTATION} valid tokens in rotation", c),
        ("(d) malformed-token flood (401)", d),
        ("(e) good traffic beside a wrong-secret flood", e),
        ("    … the wrong-secret flood itself (401/429)", flood_result),
    ]
    print()
    print("GET /api/ping (needs no token, checks one that is sent) with wrk: "
          f"{THREADS} threads, {CONNECTIONS} connections ({FLOOD_CONNECTIONS} for the flood "
          f"in (e)), {DURATION} s per run, best of {ROUNDS} alternated runs for (a)–(d); release build on SQLite; {os.cpu_count()} CPUs "
          f"shared by the server and the load generators")
    print()
    print("| measurement | requests/s | p50 ms | p99 ms |")
    print("|---|---:|---:|---:|")
    for label, r in rows:
        print(f"| {label} | {r['rps']:,.0f} | {r['p50']:.2f} | {r['p99']:.2f} |")
    print()
    ratio = lambda x, y: x["rps"] / y["rps"]
    verdict = lambda ok: "✅" if ok else "❌"
    print("| check | value | target |")
    print("|---|---:|---|")
    print(f"| (b)/(a) | {ratio(b, a):.2f} | ≥ 0.90 {verdict(ratio(b, a) >= 0.9)} |")
    print(f"| (c)/(a) | {ratio(c, a):.2f} | ≥ 0.85 {verdict(ratio(c, a) >= 0.85)} |")
    print(f"| (d)/(a) | {ratio(d, a):.2f} | ≥ 1.00 {verdict(ratio(d, a) >= 1.0)} |")
    print(f"| (e) good / (b) | {ratio(e, b):.2f} | ≥ 0.50 {verdict(ratio(e, b) >= 0.5)} |")
    print(f"| cold first verification (median of {len(cold)}) | {statistics.median(cold):.1f} ms "
          f"(warm repeat {statistics.median(warm):.1f} ms) | — |")
    print(f"| usage: {sent} requests sent → count grew by | {grew} | exactly {sent} "
          f"{verdict(grew == sent)} |")
    shutil.rmtree(workdir, ignore_errors=True)

# --------------------------------------------------------------------------------------
# Memory (issue 19)
# --------------------------------------------------------------------------------------

def rss_mb(pid):
    """Resident memory of `pid` in MB (MiB), and its thread count, from /proc."""
    fields = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            key, _, value = line.partition(":")
            fields[key] = value.split()
    return int(fields["VmRSS"][0]) / 1024, int(fields["Threads"][0])


class RssSampler:
    """Samples RSS every `interval` seconds (10 ms) in a thread; `peak` is the highest seen."""

    def __init__(self, pid, interval=0.01):
        import threading
        self.pid, self.peak, self.running, self.interval = pid, 0.0, True, interval
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while self.running:
            self.peak = max(self.peak, rss_mb(self.pid)[0])
            time.sleep(self.interval)

    def stop(self):
        self.running = False
        self.thread.join()
        return max(self.peak, rss_mb(self.pid)[0])


def sign_in(server, email, password, addr):
    status, body, _ = request(server.base + "/rpc/sign_in", "POST",
                              form={"email": email, "password": password},
                              headers={"X-Forwarded-For": addr})
    return status


def concurrent_wrong_sign_ins(server, count, one_address):
    """`count` wrong sign-ins at once; the server's highest RSS meanwhile, and the statuses."""
    import threading
    barrier = threading.Barrier(count)
    def one(n):
        barrier.wait()
        addr = "198.51.100.1" if one_address else f"2001:db8:1:{n:x}::1"
        return sign_in(server, f"flood{n}@example.com", "wrong password 123", addr)
    sampler = RssSampler(server.process.pid)
    with concurrent.futures.ThreadPoolExecutor(count) as pool:
        statuses = list(pool.map(one, range(count)))
    peak = sampler.stop()
    return peak, {code: statuses.count(code) for code in sorted(set(statuses))}


def memory_mode(binary, preload=None, creations=4000, sign_ins=2000, bearer_seconds=DURATION):
    workdir = tempfile.mkdtemp(prefix="tessera-bench-mem-")
    # Sign-ins come "from" many addresses (X-Forwarded-For from a trusted local proxy), so the
    # failure limits do not stop them before argon2: the point is argon2's memory.
    env = {"TESSERA_TRUSTED_PROXIES": "127.0.0.1"}
    if preload:
        # Another malloc for the server only (e.g. Debian's libmimalloc.so.2, libjemalloc.so.2),
        # to compare allocators on one binary.
        env["LD_PRELOAD"] = preload
    server = Server(binary, f"sqlite://{workdir}/bench.db", workdir, f"{workdir}/server.log",
                    extra_env=env)
    pid = server.process.pid
    if preload:
        with open(f"/proc/{pid}/maps") as maps:
            assert os.path.basename(preload) in maps.read(), f"{preload} is not loaded"
    rows = []
    def note(label):
        rss, threads = rss_mb(pid)
        rows.append((label, rss, threads))
        print(f"  {label}: {rss:.0f} MB, {threads} threads", file=sys.stderr)
        return rss
    try:
        time.sleep(0.5)
        note("at start (idle)")
        cookie, admin = set_up(server)
        tokens = []
        for thousand in range(creations // 1000):
            print(f"creating tokens {thousand * 1000 + 1}–{(thousand + 1) * 1000} …", file=sys.stderr)
            tokens += create_tokens(server, admin, 1000, "mem", start=thousand * 1000)
            note(f"after {(thousand + 1) * 1000:,} token creations")

        print(f"{sign_ins} sign-ins, half of them wrong …", file=sys.stderr)
        def one(n):
            if n % 2:
                return sign_in(server, f"nobody{n}@example.com", "wrong password 123",
                               f"2001:db8:2:{n:x}::1")
            return sign_in(server, "bench@example.com", "bench password 1234", f"192.0.2.{n % 250}")
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            statuses = list(pool.map(one, range(sign_ins)))
        assert statuses.count(200) == sign_ins // 2, {c: statuses.count(c) for c in set(statuses)}
        note(f"after {sign_ins:,} sign-ins (half wrong)")

        print("bearer load: first use of 1,000 tokens, then wrk with a wrong-secret flood …",
              file=sys.stderr)
        me = server.base + "/api/tokens/self"
        ping = server.base + "/api/ping"
        rotation = [t for _, t in tokens[:1000]]
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            statuses = list(pool.map(lambda t: request(me, token=t)[0], rotation))
        assert statuses.count(200) == len(rotation)
        key_ids = [token[4:16] for token in rotation]
        wrong = [forge(random.choice(key_ids)) for _ in range(20000)]
        flood = wrk_start(ping, tokens=wrong, duration=bearer_seconds + 2, workdir=workdir)
        time.sleep(1)
        good = wrk_run(ping, tokens=rotation, duration=bearer_seconds, workdir=workdir)
        wrk_result(flood)
        assert good["non_2xx"] == 0, good
        note("after the bearer load")

        print("200 concurrent wrong sign-ins …", file=sys.stderr)
        peak_one, statuses_one = concurrent_wrong_sign_ins(server, 200, one_address=True)
        time.sleep(7)  # the address's failure budget refills between the two
        peak_many, statuses_many = concurrent_wrong_sign_ins(server, 200, one_address=False)
        note("after the concurrent sign-ins")
        with open(f"/proc/{pid}/status") as status:
            hwm = [line.split()[1] for line in status if line.startswith("VmHWM")][0]
    finally:
        server.stop()

    print()
    print(f"resident memory (VmRSS) of the release server on SQLite; tokens created 4 at a time "
          f"through POST /api/tokens; {os.cpu_count()} CPUs; allocator: "
          f"{os.path.basename(preload) if preload else 'the binary’s own'}")
    print()
    print("| moment | RSS MB | threads |")
    print("|---|---:|---:|")
    for label, rss, threads in rows:
        print(f"| {label} | {rss:.0f} | {threads} |")
    print(f"| during 200 concurrent wrong sign-ins, one address (highest) | {peak_one:.0f} | — |")
    print(f"| during 200 concurrent wrong sign-ins, 200 addresses (highest) | {peak_many:.0f} | — |")
    print(f"| highest of the whole run (VmHWM) | {int(hwm) / 1024:.0f} | — |")
    print()
    print(f"answers to the concurrent sign-ins: one address {statuses_one}, "
          f"200 addresses {statuses_many}")
    after = {label: rss for label, rss, _ in rows}
    worst = max(rss for label, rss, _ in rows[1:])
    growth = after[f"after {creations:,} token creations"] - after["after 2,000 token creations"]
    verdict = lambda ok: "✅" if ok else "❌"
    print()
    print("| check | value | target |")
    print("|---|---:|---|")
    print(f"| highest RSS after a workload | {worst:.0f} MB | ≤ 150 MB {verdict(worst <= 150)} |")
    print(f"| growth from 2,000 to {creations:,} creations | {growth:+.0f} MB | ≤ 0 (± 5 MB noise) "
          f"{verdict(growth <= 5)} |")
    shutil.rmtree(workdir, ignore_errors=True)


def create_pg_database(admin_url, prefix="tessera_bench"):
    """A new empty database on `admin_url`'s server (the role may CREATE DATABASE): its name
    and URL."""
    name = f"{prefix}_{int(time.time())}_{random.randrange(1000)}"
    subprocess.run(["psql", admin_url, "-qc", f"CREATE DATABASE {name}"], check=True)
    parsed = urllib.parse.urlparse(admin_url)
    return name, parsed._replace(path="/" + name).geturl()


def drop_pg_database(admin_url, name):
    subprocess.run(["psql", admin_url, "-qc", f"DROP DATABASE {name}"], check=False)


def pg_mode(binary, admin_url, rounds):
    name, url = create_pg_database(admin_url)
    workdir = tempfile.mkdtemp(prefix="tessera-bench-pg-")
    first = Server(binary, url, workdir, f"{workdir}/first.log")
    second = Server(binary, url, workdir, f"{workdir}/second.log")
    try:
        _, admin = set_up(first)
        tokens = create_tokens(first, admin, rounds, "revoked")
        second_me = second.base + "/api/tokens/self"
        delays = []
        for token_id, token in tokens:
            for _ in range(3):
                assert request(second_me, token=token)[0] == 200
            status, body, _ = request(f"{first.base}/api/tokens/{token_id}/revoke", "POST",
                                      token=admin, body={})
            assert status == 200, body
            revoked_at = time.perf_counter()
            while request(second_me, token=token)[0] == 200:
                if time.perf_counter() - revoked_at > 10:
                    raise SystemExit("the second instance never refused the revoked token")
            delays.append((time.perf_counter() - revoked_at) * 1000)
    finally:
        first.stop()
        second.stop()
        drop_pg_database(admin_url, name)
        shutil.rmtree(workdir, ignore_errors=True)
    delays.sort()
    print()
    print(f"two release instances on one PostgreSQL database; {rounds} revocations, each made "
          f"on the first instance right after the second had cached the token")
    print()
    print("| revocation → refused by the other instance | ms |")
    print("|---|---:|")
    print(f"| median | {statistics.median(delays):.1f} |")
    print(f"| p95 | {delays[int(len(delays) * 0.95) - 1]:.1f} |")
    print(f"| max | {delays[-1]:.1f} |")
    print(f"| target | ≤ 1000 {'✅' if delays[-1] <= 1000 else '❌'} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--binary", required=True)
    parser.add_argument("--pg", metavar="ADMIN_URL", help="two-instance mode on this PostgreSQL")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--memory", action="store_true", help="the memory benchmark (issue 19)")
    parser.add_argument("--preload", metavar="LIB", help="memory mode: LD_PRELOAD for the server")
    args = parser.parse_args()
    if args.memory:
        memory_mode(args.binary, preload=args.preload)
    elif args.pg:
        pg_mode(args.binary, args.pg, args.rounds)
    else:
        sqlite_mode(args.binary)


if __name__ == "__main__":
    main()
