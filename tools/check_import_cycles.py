#!/usr/bin/env python3
"""Fails (exit 1) when source files of a Rust crate import each other in a circle.

Usage: check_import_cycles.py CRATE/src

The risk pipeline must flow one way (study -> scenario -> consequence -> engine -> results; STYLE.md,
"The pipeline"): a lower stage never imports a higher one. This check reads every path that starts
with `crate::`, `super::` or `self::` (including `use a::{b, c::d}` groups), maps it to the source
file that defines the module, and reports each strongly connected group of more than one file.
`#[cfg(test)]` modules and test-only files (`tests.rs`, `tests/`) are left out: tests may reach
anywhere. A `mod.rs` that only declares and re-exports its children (`pub use child::X`) does not
depend on them in this sense, so bare child paths are not edges.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

PATH_RE = re.compile(r"\b(crate|super|self)((?:::[A-Za-z_]\w*)+)")
GROUP_RE = re.compile(r"\b(crate|super|self)((?:::[A-Za-z_]\w*)*)::\{([^{}]*)\}")


def module_of(src: Path, file: Path) -> tuple[str, ...]:
    parts = list(file.relative_to(src).with_suffix("").parts)
    if parts[-1] in ("mod", "lib", "main"):
        parts.pop()
    return tuple(parts)


def without_tests(text: str) -> str:
    text = re.sub(r"//[^\n]*", "", text)
    cut = re.search(r"#\[cfg\(test\)\]\s*(pub\s+)?mod\s+\w+\s*\{", text)
    return text[: cut.start()] if cut else text


def paths_in(text: str):
    for g in GROUP_RE.finditer(text):
        head = g.group(1) + g.group(2)
        for item in g.group(3).split(","):
            item = item.split(" as ")[0].strip()
            if item and item != "self":
                yield from paths_in(f" {head}::{item} ")
    for m in PATH_RE.finditer(text):
        yield m.group(1), [p for p in m.group(2).split("::") if p]


def edges(src: Path) -> dict[tuple[str, ...], set[tuple[str, ...]]]:
    files = [f for f in src.rglob("*.rs") if f.name != "tests.rs" and "tests" not in f.relative_to(src).parts[:-1]]
    mods = {module_of(src, f): f for f in files}
    out: dict[tuple[str, ...], set[tuple[str, ...]]] = {m: set() for m in mods}
    for m, f in mods.items():
        is_dir_module = f.name in ("mod.rs", "lib.rs", "main.rs")
        here = list(m) if is_dir_module else list(m[:-1])  # the module whose children are siblings
        for kind, rest in paths_in(without_tests(f.read_text(encoding="utf-8", errors="replace"))):
            if kind == "crate":
                base: list[str] = []
            elif kind == "self":
                base = list(m)
            else:
                base = here[:-1] if is_dir_module else list(m[:-1])
                while rest and rest[0] == "super":
                    rest, base = rest[1:], base[:-1]
            target = base + rest
            while target and tuple(target) not in mods:
                target.pop()
            t = tuple(target)
            if t in mods and t != m and t != ():
                out[m].add(t)
    return out


def cycles(graph: dict[tuple[str, ...], set[tuple[str, ...]]]) -> list[list[tuple[str, ...]]]:
    """Strongly connected components with more than one node (Tarjan, iterative)."""
    index: dict = {}
    low: dict = {}
    on_stack: set = set()
    stack: list = []
    found: list = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            v, it = work[-1]
            w = next(it, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(sorted(graph[w]))))
                elif w in on_stack:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    found.append(sorted(comp))
    return found


def main() -> int:
    src = Path(sys.argv[1]).resolve()
    found = cycles(edges(src))
    for comp in found:
        print("import cycle:", " <-> ".join("/".join(c) or "lib" for c in comp))
    print(f"{len(found)} import cycle(s) in {src}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
