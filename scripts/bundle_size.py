#!/usr/bin/env python3
"""Sizes of the release bundle in target/site/pkg, and what a first visit downloads.

The WASM is split by groups of pages (`cargo leptos build --split`, see `app/src/app.rs`):
every visit loads the main module, its JS and the split loader, and a page's first visit also
loads its group's chunk and the shared chunks the split manifest lists for it — as one pack
(`scripts/pack_first_visits.mjs`). Prints each file raw / gzip -9 / brotli (from the build's
precompressed copies), then per page group (`lazy_pages!`, named `…_pages`) the WASM and JS a
first visit needs, gzip -9 file by file (the budget's measure) and brotli as sent (the main
module, the JS and the pack), and per on-demand split point (say, the token dialogs' forms) the
chunks it needs, fetched when first used and not part of a first visit. Exits 1 when any
page's first visit is over the budget (gzip bytes, first argument), or when the API Tokens
tab's files as sent (brotli: WASM, JS, the pack and the CSS) are over the second argument's
bytes, if given.
"""

import glob
import gzip
import json
import os
import sys

PKG = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "target", "site", "pkg")


def sizes(path):
    raw = os.path.getsize(path)
    gz = len(gzip.compress(open(path, "rb").read(), 9))
    br = os.path.getsize(path + ".br") if os.path.exists(path + ".br") else None
    return raw, gz, br


def find(stem, ext):
    """The file for `stem` with or without a content hash (`stem.<hash>.ext`)."""
    for pattern in (f"{stem}.{ext}", f"{stem}.*.{ext}"):
        found = [p for p in glob.glob(os.path.join(PKG, pattern)) if not p.endswith((".gz", ".br"))]
        if found:
            return found[0]
    raise SystemExit(f"bundle_size: no {stem}.{ext} in {PKG}")


def group(split):
    """The split point's name without the splitter's hash: `token_pages_1448…` → `token_pages`."""
    return split.strip("_").rsplit("_", 1)[0]


# The page group of the API Tokens tab, whose first visit issue 20 holds to 400 kB.
TOKENS_TAB_GROUP = "token_pages"


def main():
    budget = int(sys.argv[1])
    sent_budget = int(sys.argv[2]) if len(sys.argv) > 2 else None
    tokens_tab_sent = None
    main_wasm, main_js = find("tessera", "wasm"), find("tessera", "js")
    kb = lambda n: f"{n / 1024:8.1f} KiB" if n is not None else "       -    "
    print(f"  {'file':<28} {'raw':>12} {'gzip':>12} {'brotli':>12}")
    for path in (main_wasm, main_js, find("tessera", "css")):
        raw, gz, br = sizes(path)
        print(f"  {os.path.basename(path)[:28]:<28} {kb(raw)} {kb(gz)} {kb(br)}")
    chunks = [p for p in glob.glob(os.path.join(PKG, "*.wasm"))
              if p != main_wasm and ".pack." not in os.path.basename(p)]
    total = [sizes(p) for p in chunks]
    print(f"  {f'{len(chunks)} split chunks':<28} {kb(sum(t[0] for t in total))} "
          f"{kb(sum(t[1] for t in total))}")
    manifests = glob.glob(os.path.join(PKG, "__wasm_split_manifest*.json"))
    packs_path = os.path.join(PKG, "first_visit_packs.json")
    packs = json.load(open(packs_path)) if os.path.exists(packs_path) else {}
    base = sizes(main_wasm)[1] + sizes(main_js)[1]
    worst = ("(no split)", base)
    if manifests:
        loader = find("__wasm_split", "js")
        base += sizes(loader)[1]
        sent_base = sum(sizes(p)[2] or 0 for p in (main_wasm, main_js, loader))
        splits = sorted(json.load(open(manifests[0])).items())
        print("  first visit of a page group: main WASM + JS + split loader + its chunks, gzip "
              "file by file; brotli as sent, the chunks in one pack")
        on_demand = []
        pages = {split: set(needed) for split, needed in splits if group(split).endswith("_pages")}
        for split, needed in splits:
            if split not in pages:
                # Measured after the page group that shares the most chunks with it.
                page = max(pages, key=lambda p: len(pages[p] & set(needed)))
                more = [chunk for chunk in needed if chunk not in pages[page]]
                more_bytes = sum(sizes(find(chunk, "wasm"))[1] for chunk in more)
                on_demand.append((group(split), group(page), more_bytes, len(more)))
                continue
            extra = sum(sizes(find(chunk, "wasm"))[1] for chunk in needed)
            pack = packs.get(group(split))
            sent = (f"; {kb(sent_base + sizes(os.path.join(PKG, pack))[2]).strip()} brotli as sent"
                    if pack else "")
            print(f"    {group(split):<26} {kb(base + extra)}  ({len(needed)} chunks{sent})")
            if pack and group(split) == TOKENS_TAB_GROUP:
                css_sent = sizes(find("tessera", "css"))[2] or 0
                tokens_tab_sent = sent_base + sizes(os.path.join(PKG, pack))[2] + css_sent
            if base + extra > worst[1]:
                worst = (group(split), base + extra)
        if on_demand:
            print("  loaded on first use, not in a first visit: what it adds to its page's, gzip")
            for name, page, more_bytes, count in on_demand:
                print(f"    {name:<26} {kb(more_bytes)}  ({count} chunks more than {page})")
    verdict = "within" if worst[1] <= budget else "OVER"
    print(f"  largest first visit: {worst[0]} {kb(worst[1])} gzip, {verdict} the budget of {kb(budget)}")
    ok = worst[1] <= budget
    if sent_budget is not None:
        if tokens_tab_sent is None:
            print("  the API Tokens tab's pack is missing: nothing to hold to its budget")
            ok = False
        else:
            within = tokens_tab_sent <= sent_budget
            print(f"  API Tokens tab first visit, files as sent (brotli, with the CSS): "
                  f"{tokens_tab_sent / 1000:.1f} kB, {'within' if within else 'OVER'} the budget "
                  f"of {sent_budget / 1000:.1f} kB")
            ok = ok and within
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
