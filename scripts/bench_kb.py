#!/usr/bin/env python3
"""Knowledge-base benchmark (issue 14, items 7 and 8). Started by `scripts/bench.sh --kb`; see
docs/benchmarks.md.

Starts the release server on a fresh SQLite file (or, with `--pg ADMIN_URL`, a fresh
PostgreSQL database), then prints one table, every figure measured in this run:

- ingestion end to end: every page of the corpus (Debian's python3.11-doc HTML, chosen below)
  uploaded through `PUT /api/knowledge-base/storage/{name}` by 8 concurrent clients, then
  `GET /api/knowledge-base?status=pending` polled until no document is pending: documents/s
  and MiB/s from the first upload to the last document out of `pending`, ready/failed counts;
- search: the first 50 queries of scripts/kb_queries.tsv in rotation through wrk — p50/p99
  latency with one connection, requests/s with 16 — and `/api/ping` requests/s the same way;
- quality: for every query of the file, the rank of the first hit on the page that should
  answer it: hit@1, hit@5 and MRR, and the queries that missed the top 5;
- one 200 MiB file of random bytes uploaded raw: the server's RSS growth during it (VmRSS
  sampled every 20 ms), its MiB/s, and `cp` of the same file on the same disk.

Standard library only, plus wrk (Debian package) and the python3.11-doc package.
"""

import argparse
import concurrent.futures
import contextlib
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

sys.dont_write_bytecode = True  # no __pycache__ beside the scripts
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import (  # noqa: E402  (the benchmark's server, HTTP and wrk helpers)
    DURATION, ROUNDS, THREADS, RssSampler, Server, create_pg_database, drop_pg_database,
    request, rss_mb, set_up, wrk_result, wrk_start,
)

DOCS = "/usr/share/doc/python3.11/html"
# The corpus: each section's pages sorted by name, sections in this order, at most
# CORPUS_PAGES pages. That is every page of the documentation (490 in 3.11) except the
# top-level ones: indexes, search, about, copyright and licence text.
SECTIONS = ["tutorial", "howto", "faq", "glossary.html", "reference", "using", "library",
            "extending", "c-api", "whatsnew", "installing", "distributing", "distutils",
            "install"]
CORPUS_PAGES = 500
QUERIES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "kb_queries.tsv")
UPLOADERS = 8
SEARCH_CLIENTS = 16
PERF_QUERIES = 50
SEARCH_LIMIT = 10           # hits per search in the speed runs (the API's default)
QUALITY_LIMIT = 50          # hits per search when ranking (the API's maximum)
BIG_FILE_MIB = 200
MAX_UPLOAD_BYTES = 256 * 1024 * 1024
INGEST_TIMEOUT_SECS = 1800
MIB = 1024 * 1024

# Targets (issue 14 items 7–8).
TARGET_P50_MS = 10
TARGET_P99_MS = 50
TARGET_DOCS_PER_SEC = 20
TARGET_RSS_GROWTH_MIB = 64
TARGET_HIT5 = 0.8


# --------------------------------------------------------------------------------------
# Corpus and queries
# --------------------------------------------------------------------------------------

def corpus_pages(docs):
    """Relative paths of the corpus pages, in the fixed order above."""
    pages = []
    for section in SECTIONS:
        full = os.path.join(docs, section)
        if os.path.isdir(full):
            pages += [f"{section}/{name}" for name in sorted(os.listdir(full))
                      if name.endswith(".html")]
        elif os.path.isfile(full):
            pages.append(section)
    return pages[:CORPUS_PAGES]


def corpus_for(docs, queries):
    """The corpus pages, once every query's expected page is known to be among them."""
    pages = corpus_pages(docs)
    missing = sorted({page for _, page in queries} - set(pages))
    if missing:
        raise SystemExit(f"expected pages outside the corpus (or {docs} is missing): {missing}")
    return pages


def stored_name(page):
    """The file name a page is uploaded under: its path with `/` as `__` (`library__os.html`);
    the server keeps only the last path component of a name."""
    return page.replace("/", "__", 1) if "/" in page else page


def page_of(name):
    """The page a stored file name stands for (the inverse of `stored_name`)."""
    section, sep, rest = name.partition("__")
    return f"{section}/{rest}" if sep else name


def read_queries(path):
    queries = []
    with open(path, encoding="utf-8") as file:
        for number, line in enumerate(file, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            query, sep, page = line.partition("\t")
            if not sep or not query.strip() or not page.strip():
                raise SystemExit(f"{path}:{number}: expected `query<TAB>page`")
            queries.append((query, page.strip()))
    return queries


# --------------------------------------------------------------------------------------
# HTTP: kept-alive connections (one per thread), so timings measure the server, not the
# TCP handshakes of urllib's one connection per request
# --------------------------------------------------------------------------------------

class Client:
    def __init__(self, base, token):
        parsed = urllib.parse.urlparse(base)
        self.host, self.port, self.token = parsed.hostname, parsed.port, token
        self.local = threading.local()

    def connection(self):
        if getattr(self.local, "conn", None) is None:
            self.local.conn = http.client.HTTPConnection(self.host, self.port, timeout=120,
                                                         blocksize=1 << 20)
        return self.local.conn

    def call(self, method, path, body=None, headers=None):
        """(status, parsed JSON or raw bytes, seconds taken)."""
        headers = dict(headers or {}, Authorization="Bearer " + self.token)
        for attempt in (1, 2):
            conn = self.connection()
            started = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
            except (http.client.HTTPException, OSError):
                conn.close()
                self.local.conn = None
                if attempt == 2 or hasattr(body, "read"):
                    raise
                continue
            elapsed = time.perf_counter() - started
            if response.getheader("Content-Type", "").startswith(("application/json",
                                                                   "application/problem+json")):
                try:
                    data = json.loads(data)
                except ValueError:
                    pass
            return response.status, data, elapsed

    def get(self, path):
        return self.call("GET", path)


def expect_keys(value, keys, what):
    """Stops with what the API answered when a documented field is missing."""
    missing = [key for key in keys if not isinstance(value, dict) or key not in value]
    if missing:
        raise SystemExit(f"{what}: the answer lacks {missing}; it was: {str(value)[:600]}")


def search_path(query, limit):
    return "/api/knowledge-base/search?" + urllib.parse.urlencode({"q": query, "limit": limit})


# --------------------------------------------------------------------------------------
# The measurements
# --------------------------------------------------------------------------------------

def ingest(client, docs, pages):
    """Uploads every page with UPLOADERS clients and waits until none is pending."""
    def upload(page):
        with open(os.path.join(docs, page), "rb") as file:
            body = file.read()
        name = urllib.parse.quote(stored_name(page), safe="")
        status, answer, _ = client.call("PUT", f"/api/knowledge-base/storage/{name}", body=body,
                                        headers={"Content-Type": "text/html"})
        return page, len(body), status, answer

    print(f"uploading {len(pages)} pages with {UPLOADERS} clients …", file=sys.stderr)
    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(UPLOADERS) as pool:
        uploads = list(pool.map(upload, pages))
    uploaded = time.perf_counter()

    refused = [(page, status, answer) for page, _, status, answer in uploads
               if status not in (200, 201)]
    stored = [(page, size, status, answer) for page, size, status, answer in uploads
              if status in (200, 201)]
    if not stored:
        raise SystemExit(f"no upload was accepted; first answers: {refused[:3]}")
    expect_keys(stored[0][3], ["id", "name", "size", "content_type", "sha256", "document_id"],
                "PUT /api/knowledge-base/storage/{filename}")
    documents = {}      # document id → page
    duplicates = []
    for page, _, status, answer in stored:
        if answer["document_id"] is None:
            refused.append((page, status, "stored, but no document was made"))
        elif answer["document_id"] in documents:
            duplicates.append((page, documents[answer["document_id"]]))
        else:
            documents[answer["document_id"]] = page

    print("waiting until no document is pending …", file=sys.stderr)
    while True:
        status, answer, _ = client.get("/api/knowledge-base?status=pending&limit=1")
        if status != 200:
            raise SystemExit(f"GET /api/knowledge-base?status=pending: {status} {answer}")
        expect_keys(answer, ["items", "total"], "GET /api/knowledge-base")
        if answer["total"] == 0:
            break
        if time.perf_counter() - started > INGEST_TIMEOUT_SECS:
            raise SystemExit(f"{answer['total']} documents still pending after "
                             f"{INGEST_TIMEOUT_SECS} s")
        time.sleep(0.05)
    finished = time.perf_counter()

    listed = list_documents(client)
    ready = [d for d in listed if d["status"] == "ready"]
    failed = [d for d in listed if d["status"] == "failed"]
    return {
        "pages": len(pages),
        "bytes": sum(size for _, size, _, _ in stored),
        "seconds": finished - started,
        "upload_seconds": uploaded - started,
        "documents": documents,
        "ready": len(ready),
        "failed": [(page_of(d["file_name"]), d.get("failure")) for d in failed],
        "chunks": sum(d.get("chunk_count") or 0 for d in ready),
        "refused": refused,
        "duplicates": duplicates,
    }


def list_documents(client):
    documents, offset = [], 0
    while True:
        status, answer, _ = client.get(f"/api/knowledge-base?limit=500&offset={offset}")
        if status != 200:
            raise SystemExit(f"GET /api/knowledge-base: {status} {answer}")
        documents += answer["items"]
        offset += len(answer["items"])
        if not answer["items"] or offset >= answer["total"]:
            break
    if documents:
        expect_keys(documents[0], ["id", "file_id", "file_name", "title", "status", "failure",
                                   "chunk_count"], "GET /api/knowledge-base items")
    return documents


def search_speed(server, client, token, queries, workdir):
    """p50/p99 with one connection; requests/s with SEARCH_CLIENTS, against /api/ping."""
    paths = [search_path(query, SEARCH_LIMIT) for query in queries]
    for path in paths:     # every query once, and check that each answers
        status, answer, _ = client.get(path)
        if status != 200:
            raise SystemExit(f"GET {path}: {status} {answer}")
    expect_keys(answer, ["items", "total"], "GET /api/knowledge-base/search")

    # The slowest queries, each timed alone (median of 5 runs).
    per_query = []
    for query, path in zip(queries, paths):
        times = [client.get(path)[2] * 1000 for _ in range(5)]
        per_query.append((statistics.median(times), query))
    per_query.sort(reverse=True)

    print("search latency, one connection …", file=sys.stderr)
    url = server.base + "/api/knowledge-base/search"
    single = wrk_result(wrk_start(url, tokens=[token], connections=1, threads=1, paths=paths,
                                  workdir=workdir))
    print(f"search and ping throughput, {SEARCH_CLIENTS} connections …", file=sys.stderr)
    best = {}
    for _ in range(ROUNDS):  # alternated, best of ROUNDS: the machine is shared
        for name, run_paths in (("search", paths), ("ping", ["/api/ping"])):
            result = wrk_result(wrk_start(server.base + run_paths[0].split("?")[0],
                                          tokens=[token], connections=SEARCH_CLIENTS,
                                          paths=run_paths, workdir=workdir))
            if name not in best or result["rps"] > best[name]["rps"]:
                best[name] = result
    for name, result in [("one connection", single)] + list(best.items()):
        if result["non_2xx"]:
            raise SystemExit(f"{name}: {result['non_2xx']} of {result['total']} answers "
                             "were not 2xx")
    return {"single": single, "search": best["search"], "ping": best["ping"],
            "slowest": per_query[:3], "alone": {query: ms for ms, query in per_query}}


def quality(client, queries, documents):
    """The rank of the expected page for each query: among passages, and among documents."""
    pages = dict(documents)

    def page_for(document_id):
        if document_id not in pages:   # not uploaded by this run: ask the server
            status, answer, _ = client.get(f"/api/knowledge-base/{document_id}")
            pages[document_id] = page_of(answer["file_name"]) if status == 200 else "?"
        return pages[document_id]

    results = []
    for query, expected in queries:
        status, answer, _ = client.get(search_path(query, QUALITY_LIMIT))
        if status != 200:
            raise SystemExit(f"search {query!r}: {status} {answer}")
        hits = answer["items"]
        if hits:
            expect_keys(hits[0], ["document_id", "chunk_id", "title", "heading", "snippet",
                                  "highlights", "score"], "search hits")
        hit_pages = [page_for(hit["document_id"]) for hit in hits]
        distinct = list(dict.fromkeys(hit_pages))
        rank = hit_pages.index(expected) + 1 if expected in hit_pages else None
        document_rank = distinct.index(expected) + 1 if expected in distinct else None
        first = [(page, hit["heading"]) for page, hit in zip(hit_pages, hits)][:3]
        results.append({"query": query, "expected": expected, "rank": rank,
                        "document_rank": document_rank, "total": answer["total"],
                        "first": first})
    return results


def measures(results, key):
    ranks = [r[key] for r in results]
    n = len(ranks)
    return {
        "hit1": sum(1 for r in ranks if r == 1) / n,
        "hit5": sum(1 for r in ranks if r is not None and r <= 5) / n,
        "mrr": sum(1 / r for r in ranks if r is not None) / n,
    }


def big_upload(server, client, workdir):
    """RSS growth and speed of one raw upload of BIG_FILE_MIB of random bytes, against cp."""
    source = os.path.join(workdir, "random.bin")
    with open(source, "wb") as file:
        for _ in range(BIG_FILE_MIB):
            file.write(os.urandom(MIB))
    size = os.path.getsize(source)
    copy = os.path.join(workdir, "random-copy.bin")
    started = time.perf_counter()
    subprocess.run(["cp", source, copy], check=True)
    cp_seconds = time.perf_counter() - started
    os.remove(copy)

    pid = server.process.pid
    time.sleep(1)
    before = rss_mb(pid)[0]
    sampler = RssSampler(pid, interval=0.02)
    print(f"uploading one {BIG_FILE_MIB} MiB file …", file=sys.stderr)
    with open(source, "rb") as file:
        status, answer, seconds = client.call(
            "PUT", "/api/knowledge-base/storage/random.bin", body=file,
            headers={"Content-Type": "application/octet-stream", "Content-Length": str(size)})
    peak = sampler.stop()
    after = rss_mb(pid)[0]
    if status not in (200, 201):
        raise SystemExit(f"the {BIG_FILE_MIB} MiB upload: {status} {answer}")
    if answer.get("size") != size:
        raise SystemExit(f"the {BIG_FILE_MIB} MiB upload stored {answer.get('size')} bytes "
                         f"of {size}")
    os.remove(source)
    return {"before": before, "peak": peak, "after": after, "seconds": seconds,
            "cp_seconds": cp_seconds, "mib": size / MIB}


# --------------------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------------------

@contextlib.contextmanager
def database(admin_url, workdir, prefix):
    """(URL, engine name) of the database to run on: a throwaway PostgreSQL database on
    `admin_url`'s server, dropped on leaving, or without it a fresh SQLite file in `workdir`."""
    if not admin_url:
        yield f"sqlite://{workdir}/bench.db", "SQLite"
        return
    name, url = create_pg_database(admin_url, prefix=prefix)
    try:
        yield url, "PostgreSQL"
    finally:
        drop_pg_database(admin_url, name)


def run(binary, admin_url, docs, queries_path, show_ranks):
    queries = read_queries(queries_path)
    pages = corpus_for(docs, queries)
    perf_queries = [queries[i % len(queries)][0] for i in range(PERF_QUERIES)]

    workdir = tempfile.mkdtemp(prefix="tessera-bench-kb-")
    with database(admin_url, workdir, "tessera_bench_kb") as (url, engine):
        load_before = os.getloadavg()[0]
        server = Server(binary, url, workdir, f"{workdir}/server.log",
                        extra_env={"TESSERA_MAX_UPLOAD_BYTES": str(MAX_UPLOAD_BYTES)})
        try:
            _, token = set_up(server)
            client = Client(server.base, token)
            ingestion = ingest(client, docs, pages)
            speed = search_speed(server, client, token, perf_queries, workdir)
            print(f"ranking {len(queries)} queries …", file=sys.stderr)
            ranked = quality(client, queries, ingestion["documents"])
            big = big_upload(server, client, workdir)
        finally:
            server.stop()
    load = (load_before, os.getloadavg()[0])
    report(engine, ingestion, speed, ranked, big, show_ranks, load)
    shutil.rmtree(workdir, ignore_errors=True)


def report(engine, ingestion, speed, ranked, big, show_ranks, load):
    verdict = lambda ok: "✅" if ok else "❌"
    docs_per_sec = ingestion["pages"] / ingestion["seconds"]
    mib_per_sec = ingestion["bytes"] / MIB / ingestion["seconds"]
    single, search, ping = speed["single"], speed["search"], speed["ping"]
    passages = measures(ranked, "rank")
    documents = measures(ranked, "document_rank")
    growth = big["peak"] - big["before"]
    upload_speed = big["mib"] / big["seconds"]
    cp_speed = big["mib"] / big["cp_seconds"]
    workers = os.environ.get("TESSERA_WORKERS", "2 (default)")

    print()
    print(f"knowledge base on {engine}, release build; corpus: {ingestion['pages']} pages of "
          f"Debian's python3.11-doc ({ingestion['bytes'] / MIB:.1f} MiB of HTML); "
          f"TESSERA_WORKERS={workers}; search: the first {PERF_QUERIES} queries of "
          f"kb_queries.tsv in rotation, {SEARCH_LIMIT} hits each, wrk {DURATION} s per run "
          f"(1 connection for latency; {SEARCH_CLIENTS} connections and {THREADS} threads "
          f"for requests/s, best of {ROUNDS} runs alternated with /api/ping); quality: all "
          f"{len(ranked)} queries, {QUALITY_LIMIT} hits each; {os.cpu_count()} CPUs shared by "
          f"the server, wrk and this script (load average {load[0]:.1f} at the start, "
          f"{load[1]:.1f} at the end)")
    print()
    print("| measurement | value | target |")
    print("|---|---:|---|")
    print(f"| ingestion, upload ({UPLOADERS} clients) → none pending | "
          f"{ingestion['seconds']:.1f} s (uploads alone {ingestion['upload_seconds']:.1f} s) | — |")
    print(f"| … documents/s | {docs_per_sec:.1f} | ≥ {TARGET_DOCS_PER_SEC} "
          f"{verdict(docs_per_sec >= TARGET_DOCS_PER_SEC)} |")
    print(f"| … MiB/s | {mib_per_sec:.2f} | — |")
    print(f"| … ready / failed (chunks) | {ingestion['ready']} / {len(ingestion['failed'])} "
          f"({ingestion['chunks']:,}) | all ready "
          f"{verdict(ingestion['ready'] == ingestion['pages'])} |")
    print(f"| search p50, one connection | {single['p50']:.2f} ms | ≤ {TARGET_P50_MS} ms "
          f"{verdict(single['p50'] <= TARGET_P50_MS)} |")
    print(f"| search p99, one connection | {single['p99']:.2f} ms | ≤ {TARGET_P99_MS} ms "
          f"{verdict(single['p99'] <= TARGET_P99_MS)} |")
    print(f"| search requests/s, one connection | {single['rps']:,.0f} | — |")
    print(f"| search requests/s, {SEARCH_CLIENTS} connections (p50 / p99) | "
          f"{search['rps']:,.0f} ({search['p50']:.1f} / {search['p99']:.1f} ms) | — |")
    print(f"| /api/ping requests/s, {SEARCH_CLIENTS} connections, same token | "
          f"{ping['rps']:,.0f} | — |")
    print(f"| search ÷ ping | {search['rps'] / ping['rps']:.3f} | — |")
    print(f"| hit@1 ({len(ranked)} queries) | {passages['hit1']:.2f} | — |")
    print(f"| hit@5 | {passages['hit5']:.2f} | ≥ {TARGET_HIT5} "
          f"{verdict(passages['hit5'] >= TARGET_HIT5)} |")
    print(f"| MRR (ranks to {QUALITY_LIMIT}) | {passages['mrr']:.3f} | — |")
    print(f"| … counting each page once: hit@1 / hit@5 / MRR | {documents['hit1']:.2f} / "
          f"{documents['hit5']:.2f} / {documents['mrr']:.3f} | — |")
    print(f"| {BIG_FILE_MIB} MiB upload: server RSS before → peak | {big['before']:.0f} → "
          f"{big['peak']:.0f} MiB (+{growth:.0f}) | growth < {TARGET_RSS_GROWTH_MIB} MiB "
          f"{verdict(growth < TARGET_RSS_GROWTH_MIB)} |")
    print(f"| … upload MiB/s | {upload_speed:,.0f} ({big['seconds']:.2f} s) | — |")
    print(f"| … `cp` of the same file, same disk, MiB/s | {cp_speed:,.0f} "
          f"({big['cp_seconds']:.2f} s) | — |")
    print(f"| … upload ÷ cp | {upload_speed / cp_speed:.2f} | — |")

    problems = [(page, reason) for page, reason in ingestion["failed"]]
    problems += [(page, f"upload answered {status}: {str(answer)[:200]}")
                 for page, status, answer in ingestion["refused"]]
    problems += [(page, f"same bytes as {other}") for page, other in ingestion["duplicates"]]
    if problems:
        print()
        print("| page not ingested | why |")
        print("|---|---|")
        for page, reason in problems:
            print(f"| {page} | {reason} |")

    misses = [r for r in ranked if r["rank"] is None or r["rank"] > 5]
    if misses:
        print()
        print(f"queries whose page missed the top 5 ({len(misses)}):")
        print()
        print("| query | expected page | rank | first hits (page › heading) |")
        print("|---|---|---:|---|")
        for r in misses:
            rank = r["rank"] or f"> {QUALITY_LIMIT}" if r["total"] else "no hits"
            first = "; ".join(f"{page} › {heading}" if heading else page
                              for page, heading in r["first"]) or "—"
            print(f"| `{r['query']}` | {r['expected']} | {rank} | {first} |")
    print()
    print("slowest searches alone (median of 5): " + "; ".join(
        f"`{query}` {ms:.1f} ms" for ms, query in speed["slowest"]))
    if show_ranks:
        print()
        print("| query | expected page | rank | page rank | passages found | ms alone |")
        print("|---|---|---:|---:|---:|---:|")
        for r in ranked:
            alone = speed["alone"].get(r["query"])
            print(f"| `{r['query']}` | {r['expected']} | {r['rank'] or '—'} | "
                  f"{r['document_rank'] or '—'} | {r['total']} | "
                  f"{f'{alone:.1f}' if alone is not None else '—'} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True)
    parser.add_argument("--pg", metavar="ADMIN_URL",
                        help="run on a throwaway database on this PostgreSQL server")
    parser.add_argument("--docs", default=DOCS, help=f"the corpus folder ({DOCS})")
    parser.add_argument("--queries", default=QUERIES, help="query<TAB>page file")
    parser.add_argument("--ranks", action="store_true", help="also print every query's rank")
    args = parser.parse_args()
    run(args.binary, args.pg, args.docs, args.queries, args.ranks)


if __name__ == "__main__":
    main()
