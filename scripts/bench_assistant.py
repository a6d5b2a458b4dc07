#!/usr/bin/env python3
"""Assistant-chat benchmark (issue 17, item 6). Started by `scripts/bench.sh --assistant`; see
docs/benchmarks.md.

Starts the release server on a fresh SQLite file (or, with `--pg ADMIN_URL`, a fresh
PostgreSQL database), uploads the knowledge-base benchmark's corpus (Debian's python3.11-doc
HTML, as scripts/bench_kb.py does) and waits until no document is pending, then asks
`POST /api/assistant/chat` every question, one at a time, reading each Server-Sent Events
answer as it streams. It prints one table, every figure measured in this run:

- speed, over the questions of scripts/kb_queries.tsv: p50/p99 of the time from sending the
  request to its first `text.delta` event, and to its `message.completed` event;
- grounding: the share of those questions whose answer cites the page that should answer them
  (a `citation` event's document is that page's), and the share where it is citation [1];
- restraint: the share of scripts/assistant_unanswerable.txt answered "no answer"
  (`finish_reason` "no_answer" and no citation);

and then the questions that missed, of both kinds.

Standard library only, plus the python3.11-doc package.
"""

import argparse
import collections
import http.client
import json
import math
import os
import shutil
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ beside the scripts
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import Server, set_up  # noqa: E402  (the benchmark's server)
from bench_kb import (  # noqa: E402  (the knowledge-base benchmark's corpus and client)
    DOCS, QUERIES, Client, corpus_for, database, expect_keys, ingest, list_documents,
    page_of, read_queries,
)

UNANSWERABLE = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                            "assistant_unanswerable.txt")
CHAT_PATH = "/api/assistant/chat"
CHAT_TIMEOUT_SECS = 60      # the longest wait for the next byte of an answer

# Targets (issue 17 item 6).
TARGET_FIRST_DELTA_P50_MS = 50
TARGET_COMPLETED_P50_MS = 200
TARGET_CITED = 0.7
TARGET_NO_ANSWER = 0.8


# --------------------------------------------------------------------------------------
# Questions
# --------------------------------------------------------------------------------------

def read_questions(path):
    """One question a line; blank lines and `#` comments skipped."""
    with open(path, encoding="utf-8") as file:
        questions = [line.strip() for line in file]
    return [q for q in questions if q and not q.startswith("#")]


# --------------------------------------------------------------------------------------
# The chat, read as it streams
# --------------------------------------------------------------------------------------

def sse_events(response):
    """The events of a `text/event-stream` body as (name, parsed data), each yielded as soon as
    the blank line that ends it arrives; comment lines (`: keep-alive`) are skipped."""
    name, data = None, []
    while True:
        line = response.readline()
        if not line:
            return
        line = line.decode("utf-8").rstrip("\r\n")
        if line.startswith(":"):
            continue
        if line:
            field, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if field == "event":
                name = value
            elif field == "data":
                data.append(value)
            continue
        if data:
            text = "\n".join(data)
            try:
                yield name or "message", json.loads(text)
            except ValueError:
                raise SystemExit(f"{CHAT_PATH}: event {name!r} carries no JSON: {text[:600]}")
        name, data = None, []


EVENT_KEYS = {
    "message.created": ["conversation_id", "message_id"],
    "citation": ["n", "document_id", "chunk_id", "title", "snippet"],
    "text.delta": ["delta"],
    "message.completed": ["finish_reason", "answerer", "citations"],
    "error": ["title", "status"],
}


def chat(client, question):
    """Asks one question on a new connection; its answer: the citation events, the text, the
    `message.completed` data, an `error` event's problem, and the seconds from sending the
    request to the first `text.delta` and to `message.completed` (None when absent)."""
    conn = http.client.HTTPConnection(client.host, client.port, timeout=CHAT_TIMEOUT_SECS)
    conn.connect()  # before the clock starts: the server's time, not the handshake's
    try:
        started = time.perf_counter()
        conn.request("POST", CHAT_PATH, body=json.dumps({"message": question}).encode(),
                     headers={"Authorization": "Bearer " + client.token,
                              "Content-Type": "application/json",
                              "Accept": "text/event-stream"})
        response = conn.getresponse()
        content_type = response.getheader("Content-Type", "")
        if response.status != 200 or not content_type.startswith("text/event-stream"):
            raise SystemExit(f"POST {CHAT_PATH} {question[:80]!r}: {response.status} "
                             f"{content_type}: {response.read()[:600]!r}")
        answer = {"citations": [], "text": "", "completed": None, "error": None,
                  "first_delta_s": None, "completed_s": None}
        for name, data in sse_events(response):
            at = time.perf_counter() - started
            if name in EVENT_KEYS:
                expect_keys(data, EVENT_KEYS[name], f"{CHAT_PATH} event {name}")
            if name == "citation":
                answer["citations"].append(data)
            elif name == "text.delta":
                answer["text"] += data["delta"]
                if answer["first_delta_s"] is None:
                    answer["first_delta_s"] = at
            elif name == "message.completed":
                answer["completed"], answer["completed_s"] = data, at
            elif name == "error":
                answer["error"] = data
        if answer["completed"] is None and answer["error"] is None:
            answer["error"] = {"title": "the stream ended without message.completed"}
        return answer
    finally:
        conn.close()


# --------------------------------------------------------------------------------------
# The figures
# --------------------------------------------------------------------------------------

def cited_pages(answer, pages):
    """[(n, page, heading)] of the answer's citations, in the order they came."""
    return [(c["n"], pages.get(c["document_id"], "?"), c.get("heading") or "")
            for c in answer["citations"]]


def grounding(questions, answers, pages):
    """Per kb_queries question: whether its answer cites the expected page, and as [1]."""
    results = []
    for (question, expected), answer in zip(questions, answers):
        cited = cited_pages(answer, pages)
        results.append({"question": question, "expected": expected, "answer": answer,
                        "cited": cited,
                        "hit": any(page == expected for _, page, _ in cited),
                        "hit1": any(n == 1 and page == expected for n, page, _ in cited)})
    return results


def is_no_answer(answer):
    return (answer["error"] is None and answer["completed"]["finish_reason"] == "no_answer"
            and not answer["citations"])


def percentile(values, share):
    """Nearest-rank percentile; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def timings(answers, key):
    values = [a[key] for a in answers if a[key] is not None]
    return {"count": len(values), "p50": percentile(values, 0.5), "p99": percentile(values, 0.99)}


# --------------------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------------------

def run(binary, admin_url, docs, queries_path, unanswerable_path, show_answers):
    queries = read_queries(queries_path)
    unanswerable = read_questions(unanswerable_path)
    pages = corpus_for(docs, queries)

    workdir = tempfile.mkdtemp(prefix="tessera-bench-assistant-")
    with database(admin_url, workdir, "tessera_bench_assistant") as (url, engine):
        load_before = os.getloadavg()[0]
        server = Server(binary, url, workdir, f"{workdir}/server.log")
        try:
            _, token = set_up(server)
            client = Client(server.base, token)
            ingestion = ingest(client, docs, pages)
            page_by_document = {d["id"]: page_of(d["file_name"])
                                for d in list_documents(client)}
            print(f"asking the {len(queries)} questions of kb_queries.tsv …", file=sys.stderr)
            answered = [chat(client, question) for question, _ in queries]
            print(f"asking the {len(unanswerable)} unanswerable questions …", file=sys.stderr)
            refused = [chat(client, question) for question in unanswerable]
        finally:
            server.stop()
    load = (load_before, os.getloadavg()[0])
    grounded = grounding(queries, answered, page_by_document)
    report(engine, ingestion, grounded, list(zip(unanswerable, refused)), page_by_document,
           show_answers, load)
    shutil.rmtree(workdir, ignore_errors=True)


# --------------------------------------------------------------------------------------
# The report
# --------------------------------------------------------------------------------------

def cell(text, limit=160):
    """Text fit for one markdown table cell."""
    text = " ".join(str(text).split()).replace("|", "\\|")
    return text if len(text) <= limit else text[:limit - 1] + "…"


def citations_cell(cited):
    return "; ".join(f"[{n}] {page} › {heading}" if heading else f"[{n}] {page}"
                     for n, page, heading in cited) or "—"


def outcome_cell(answer):
    if answer["error"] is not None:
        problem = answer["error"]
        return cell(f"error {problem.get('status', '')}: {problem.get('title', '')} "
                    f"{problem.get('detail', '')}", 120)
    return answer["completed"]["finish_reason"]


def ms(seconds):
    return f"{seconds * 1000:.1f} ms" if seconds is not None else "—"


def answerers_cell(answers):
    """Which answerer answered, with how many answers each."""
    counts = collections.Counter(a["completed"]["answerer"] for a in answers if a["completed"])
    return ", ".join(f"{name} ({count})" for name, count in counts.most_common()) or "—"


def report(engine, ingestion, grounded, unanswerable, pages, show_answers, load):
    verdict = lambda ok: "✅" if ok else "❌"
    answers = [r["answer"] for r in grounded]
    first_delta = timings(answers, "first_delta_s")
    completed = timings(answers, "completed_s")
    refused_completed = timings([a for _, a in unanswerable], "completed_s")
    cited = sum(r["hit"] for r in grounded) / len(grounded)
    cited_first = sum(r["hit1"] for r in grounded) / len(grounded)
    no_answer = sum(is_no_answer(a) for _, a in unanswerable) / len(unanswerable)
    p50_ok = lambda figure, target_ms: (figure["p50"] is not None
                                        and figure["p50"] * 1000 <= target_ms)

    print()
    print(f"assistant chat on {engine}, release build; knowledge base: {ingestion['pages']} pages "
          f"of Debian's python3.11-doc, {ingestion['ready']} ready, "
          f"{len(ingestion['failed'])} failed; answerer: "
          f"{answerers_cell(answers + [a for _, a in unanswerable])}; "
          f"{len(grounded)} questions of kb_queries.tsv and {len(unanswerable)} unanswerable "
          f"ones asked one at a time, each on a new connection, timed from sending the request "
          f"to the event's arrival; {os.cpu_count()} CPUs shared by the server and this script "
          f"(load average {load[0]:.1f} at the start, {load[1]:.1f} at the end)")
    print()
    print("| measurement | value | target |")
    print("|---|---:|---|")
    print(f"| first `text.delta`, p50 ({first_delta['count']} answers) | "
          f"{ms(first_delta['p50'])} | ≤ {TARGET_FIRST_DELTA_P50_MS} ms "
          f"{verdict(p50_ok(first_delta, TARGET_FIRST_DELTA_P50_MS))} |")
    print(f"| first `text.delta`, p99 | {ms(first_delta['p99'])} | — |")
    print(f"| `message.completed`, p50 ({completed['count']} answers) | {ms(completed['p50'])} "
          f"| ≤ {TARGET_COMPLETED_P50_MS} ms "
          f"{verdict(p50_ok(completed, TARGET_COMPLETED_P50_MS))} |")
    print(f"| `message.completed`, p99 | {ms(completed['p99'])} | — |")
    print(f"| answer cites the expected page ({len(grounded)} questions) | {cited:.2f} | "
          f"≥ {TARGET_CITED} {verdict(cited >= TARGET_CITED)} |")
    print(f"| … as citation [1] | {cited_first:.2f} | — |")
    print(f"| unanswerable answered \"no answer\" ({len(unanswerable)} questions) | "
          f"{no_answer:.2f} | ≥ {TARGET_NO_ANSWER} {verdict(no_answer >= TARGET_NO_ANSWER)} |")
    print(f"| … their `message.completed`, p50 / p99 | {ms(refused_completed['p50'])} / "
          f"{ms(refused_completed['p99'])} | — |")

    misses = [r for r in grounded if not r["hit"]]
    if misses:
        print()
        print(f"questions whose answer did not cite the expected page ({len(misses)}):")
        print()
        print("| question | expected page | finish | citations (page › heading) |")
        print("|---|---|---|---|")
        for r in misses:
            print(f"| `{r['question']}` | {r['expected']} | {outcome_cell(r['answer'])} | "
                  f"{cell(citations_cell(r['cited']), 300)} |")

    answered = [(q, a) for q, a in unanswerable if not is_no_answer(a)]
    if answered:
        print()
        print(f"unanswerable questions not answered \"no answer\" ({len(answered)}):")
        print()
        print("| question | finish | citations (page › heading) | answer |")
        print("|---|---|---|---|")
        for question, answer in answered:
            print(f"| {cell(question)} | {outcome_cell(answer)} | "
                  f"{cell(citations_cell(cited_pages(answer, pages)), 300)} | "
                  f"{cell(answer['text'])} |")

    if show_answers:
        print()
        print("| question | first delta | completed | finish | citations | answer |")
        print("|---|---:|---:|---|---|---|")
        rows = [(r["question"], r["answer"]) for r in grounded] + unanswerable
        for question, answer in rows:
            print(f"| {cell(question)} | {ms(answer['first_delta_s'])} | "
                  f"{ms(answer['completed_s'])} | {outcome_cell(answer)} | "
                  f"{cell(citations_cell(cited_pages(answer, pages)), 300)} | "
                  f"{cell(answer['text'], 300)} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True)
    parser.add_argument("--pg", metavar="ADMIN_URL",
                        help="run on a throwaway database on this PostgreSQL server")
    parser.add_argument("--docs", default=DOCS, help=f"the corpus folder ({DOCS})")
    parser.add_argument("--queries", default=QUERIES, help="question<TAB>page file")
    parser.add_argument("--unanswerable", default=UNANSWERABLE,
                        help="questions the corpus cannot answer, one a line")
    parser.add_argument("--answers", action="store_true",
                        help="also print every question's timings, citations and answer")
    args = parser.parse_args()
    run(args.binary, args.pg, args.docs, args.queries, args.unanswerable, args.answers)


if __name__ == "__main__":
    main()
