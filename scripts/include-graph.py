#!/usr/bin/env python3
# SPDX-License-Identifier: EUPL-1.2
"""Prints the include graph between the folders of src/ and fails on any cycle.

    scripts/include-graph.py [SRC_DIR]        the folder graph, then the verdict
    scripts/include-graph.py --files [SRC]    the file graph as well

An edge A -> B means a file in folder A includes a header of folder B ("B/x.h", quoted
includes only; system headers are not followed). Folders are the directories under src/
(src/web/pages is a folder of its own), src/ itself is "main". A file of one folder that
includes a header of the same folder is not an edge between folders; cycles between files
(x.c -> y.h, y.c -> x.h counts as x <-> y, the unit being the basename) are reported too.
Exit status 1 on a cycle between folders or between files, 0 otherwise."""
import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def folder_of(rel):
    d = os.path.dirname(rel)
    return d if d else "main"


def scan(src):
    files = {}
    for root, _, names in os.walk(src):
        for n in names:
            if n.endswith((".c", ".h")):
                p = os.path.join(root, n)
                rel = os.path.relpath(p, src)
                with open(p, encoding="utf-8", errors="replace") as f:
                    files[rel] = INCLUDE.findall(f.read())
    return files


def resolve(rel, inc, files):
    """The file an include names: relative to src/ first, then to the includer's folder."""
    if inc in files:
        return inc
    local = os.path.normpath(os.path.join(os.path.dirname(rel), inc))
    return local if local in files else None


def cycles(nodes, edges):
    """Strongly connected components with more than one node (Tarjan)."""
    index, low, on, stack, out = {}, {}, set(), [], []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return out


def main():
    args = [a for a in sys.argv[1:] if a != "--files"]
    show_files = "--files" in sys.argv[1:]
    src = args[0] if args else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")
    files = scan(src)
    fedges, unit_edges, why = {}, {}, {}
    for rel, incs in sorted(files.items()):
        for inc in incs:
            target = resolve(rel, inc, files)
            if not target:
                continue
            a, b = folder_of(rel), folder_of(target)
            if a != b:
                fedges.setdefault(a, set()).add(b)
                why.setdefault((a, b), []).append(f"{rel} -> {target}")
            ua, ub = os.path.splitext(rel)[0], os.path.splitext(target)[0]
            if ua != ub:
                unit_edges.setdefault(ua, set()).add(ub)
    folders = sorted({folder_of(r) for r in files})
    print("include graph between the folders of src/ (A -> B: A includes B)")
    for a in folders:
        targets = sorted(fedges.get(a, ()))
        print(f"  {a:14} -> {', '.join(targets) if targets else '(nothing)'}")
    if show_files:
        print("file graph")
        for u in sorted(unit_edges):
            print(f"  {u} -> {', '.join(sorted(unit_edges[u]))}")
    bad = 0
    for comp in cycles(folders, fedges):
        bad = 1
        print(f"CYCLE between folders: {' <-> '.join(comp)}")
        for a in comp:
            for b in comp:
                for line in why.get((a, b), []):
                    print(f"    {line}")
    units = {os.path.splitext(r)[0] for r in files}
    for comp in cycles(units, unit_edges):
        bad = 1
        print(f"CYCLE between files: {' <-> '.join(comp)}")
    print("no cycles" if not bad else "include graph has cycles")
    return bad


if __name__ == "__main__":
    sys.exit(main())
