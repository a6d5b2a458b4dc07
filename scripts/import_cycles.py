#!/usr/bin/env python3
"""Fails when files of app/src import each other in a circle.

Imports must run one way (STYLE.md, "Layout"): ui, access, model <- domain <- service <- doors.
A file's imports are its `use crate::…` lines and `crate::…` paths in its code; each names a
module file (`crate::tokens::service::create` -> app/src/tokens/service.rs). A circle between
files is reported with its path, e.g.

    app/src/state.rs -> app/src/bearer/mod.rs -> app/src/tokens/service.rs -> app/src/state.rs

A file's `super::…` paths count too. Edges between a module and its own submodules do not:
a `mod.rs` declares its children, and they may use what it re-exports.

Usage: scripts/import_cycles.py [SRC_DIR]   (default: the repository's app/src)
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CRATE_PATH = re.compile(r"\bcrate((?:::[A-Za-z_][A-Za-z0-9_]*)+)")
SUPER_PATH = re.compile(r"\bsuper((?:::[A-Za-z_][A-Za-z0-9_]*)+)")
USE_GROUP = re.compile(r"\buse\s+crate::([^;]*\{[^;]*\})\s*;", re.S)


def module_files(src: Path) -> dict[tuple[str, ...], Path]:
    """Module path (as a tuple of names) -> the file that defines it."""
    modules = {}
    for path in src.rglob("*.rs"):
        parts = list(path.relative_to(src).with_suffix("").parts)
        if parts[-1] in ("mod", "lib"):
            parts = parts[:-1]
        modules[tuple(parts)] = path
    return modules


def resolve(names: list[str], modules: dict) -> tuple[str, ...] | None:
    """The longest prefix of `names` that is a module file."""
    for end in range(len(names), 0, -1):
        if tuple(names[:end]) in modules:
            return tuple(names[:end])
    return None


def expand_groups(text: str) -> list[list[str]]:
    """`use crate::a::{b, c::d}` -> [[a, b], [a, c, d]] (one level of braces is enough here)."""
    paths = []
    for match in USE_GROUP.finditer(text):
        body = match.group(1)
        prefix, _, inner = body.partition("{")
        prefix_names = [name for name in prefix.split("::") if name]
        inner = inner.rsplit("}", 1)[0]
        depth, item, items = 0, "", []
        for char in inner:
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
            if char == "," and depth == 0:
                items.append(item)
                item = ""
            else:
                item += char
        items.append(item)
        for entry in items:
            entry = entry.strip().split(" as ")[0]
            names = [n for n in re.split(r"::|\{|\}|,", entry) if n.strip()]
            if names:
                paths.append(prefix_names + [names[0].strip()] + [n.strip() for n in names[1:2]])
    return paths


def strip_comments(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def imports(module: tuple, path: Path, modules: dict) -> set[tuple[str, ...]]:
    text = strip_comments(path.read_text())
    found = set()
    candidates = [m.group(1).split("::")[1:] for m in CRATE_PATH.finditer(text)]
    candidates += expand_groups(text)
    # `super::x` from a file names a sibling (from a test module inside it, the file itself).
    parent = list(module[:-1])
    candidates += [parent + m.group(1).split("::")[1:] for m in SUPER_PATH.finditer(text)]
    for names in candidates:
        module = resolve(names, modules)
        if module is not None:
            found.add(module)
    return found


def find_cycles(graph: dict) -> list[list]:
    """Strongly connected components with more than one file (Tarjan), each as one circle."""
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []
    counter = [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(component)

    sys.setrecursionlimit(10000)
    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


def one_circle(component: list, graph: dict) -> list:
    """A concrete path through the component, from its first file back to it."""
    members = set(component)
    start = min(component)
    previous = {start: None}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for nxt in sorted(graph[node] & members):
            if nxt == start:
                path = [node]
                while previous[path[-1]] is not None:
                    path.append(previous[path[-1]])
                return list(reversed(path)) + [start]
            if nxt not in previous:
                previous[nxt] = node
                queue.append(nxt)
    return component


def main() -> int:
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "app" / "src"
    modules = module_files(src)
    graph = {}
    for module, path in modules.items():
        graph[module] = {
            target
            for target in imports(module, path, modules)
            # A module's own children and parents are its inside, not an import circle.
            if target != module and target[: len(module)] != module and module[: len(target)] != target
        }
    cycles = find_cycles(graph)
    name = lambda module: str(modules[module].relative_to(ROOT))
    edges = sum(len(targets) for targets in graph.values())
    if not cycles:
        print(f"import circles: none ({len(graph)} files, {edges} imports between them)")
        return 0
    print(f"import circles: {len(cycles)} found between files of {src.relative_to(ROOT)}:")
    for component in cycles:
        print("  " + " -> ".join(name(module) for module in one_circle(component, graph)))
    return 1


if __name__ == "__main__":
    sys.exit(main())
