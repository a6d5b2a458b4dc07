#!/usr/bin/env python3
"""Regression check for issue 19 (argon2 memory), run by scripts/test.sh.

Starts the release server on a fresh SQLite file, creates 300 tokens through the REST API
(4 at a time, one argon2 hash each) and sends 100 wrong sign-ins from 100 addresses at once
(one argon2 each), then fails if the server's resident memory went over the ceiling at any
moment. Before the argon2 pool the same steps left the server at about 1 GB; with it, under
100 MB. Standard library only.

    scripts/memory_check.py --binary target/release/tessera [--ceiling-mb 150]
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402  (the benchmark's server and HTTP helpers)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--binary", required=True)
    parser.add_argument("--ceiling-mb", type=float, default=150.0)
    parser.add_argument("--tokens", type=int, default=300)
    args = parser.parse_args()
    if not os.access(args.binary, os.X_OK):
        raise SystemExit(f"memory check: no server binary at {args.binary}")

    workdir = bench.tempfile.mkdtemp(prefix="tessera-memcheck-")
    server = bench.Server(args.binary, f"sqlite://{workdir}/check.db", workdir,
                          f"{workdir}/server.log",
                          extra_env={"TESSERA_TRUSTED_PROXIES": "127.0.0.1"})
    sampler = bench.RssSampler(server.process.pid)
    try:
        start, _ = bench.rss_mb(server.process.pid)
        _, admin = bench.set_up(server)
        bench.create_tokens(server, admin, args.tokens, "check")
        after_tokens, threads = bench.rss_mb(server.process.pid)
        _, statuses = bench.concurrent_wrong_sign_ins(server, 100, one_address=False)
        after_sign_ins, _ = bench.rss_mb(server.process.pid)
    finally:
        peak = sampler.stop()
        server.stop()
    bench.shutil.rmtree(workdir, ignore_errors=True)

    print(f"memory check: RSS at start {start:.0f} MB; after {args.tokens} token creations "
          f"{after_tokens:.0f} MB ({threads} threads); after 100 concurrent wrong sign-ins "
          f"{after_sign_ins:.0f} MB (answers {statuses}); highest {peak:.0f} MB; "
          f"ceiling {args.ceiling_mb:.0f} MB")
    if peak > args.ceiling_mb:
        raise SystemExit(f"memory check FAILED: the server reached {peak:.0f} MB "
                         f"(ceiling {args.ceiling_mb:.0f} MB); see issue 19")
    print("memory check: passed")


if __name__ == "__main__":
    main()
