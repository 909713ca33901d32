#!/usr/bin/env python3
# SPDX-License-Identifier: EUPL-1.2
"""Fails when an adapter holds SQL or temporary files (docs/ARCHITECTURE.md).

    scripts/adapter-check.py [SRC_DIR]

The web pages (src/web) and the API handlers (src/api) convert their input, call the
domain, io or measures door and render the result: they hold no SQL text, call no
statement function of the db interface, and write no temporary file. Prints every hit
as FILE:LINE: what, and exits 1 when there is one."""
import os
import re
import sys

ADAPTERS = ("web", "api")
RULES = [
    # SQL text in a string literal
    (re.compile(r'"\s*(SELECT|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|WITH\s+\w+\s+AS|CREATE\s+(TABLE|INDEX)|'
                r'PRAGMA|BEGIN\b|COMMIT\b|ROLLBACK\b)'), "SQL text"),  # the code base writes SQL upper case
    # statements through the db interface
    (re.compile(r'\bdb_(prepare|exec|query_int|step|col_\w+|bind_\w+)\s*\('), "db statement call"),
    # temporary files and folders
    (re.compile(r'\b(mkstemp|mkdtemp|mkostemp|tmpfile|tmpnam|tempnam)\s*\(|"/tmp/|P_tmpdir'), "temporary file"),
]


def strip_comments(text):
    """Blanks /* */ and // comments, keeping line numbers and string literals."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "src")
    hits, files = [], 0
    for folder in ADAPTERS:
        for root, _, names in os.walk(os.path.join(src, folder)):
            for name in sorted(names):
                if not name.endswith((".c", ".h")):
                    continue
                files += 1
                path = os.path.join(root, name)
                with open(path, encoding="utf-8", errors="replace") as f:
                    text = strip_comments(f.read())
                for no, line in enumerate(text.split("\n"), 1):
                    for rx, what in RULES:
                        if rx.search(line):
                            hits.append(f"{os.path.relpath(path, src)}:{no}: {what}: {line.strip()}")
    for h in hits:
        print(h)
    print(f"{files} adapter files (src/{', src/'.join(ADAPTERS)}): "
          + (f"{len(hits)} hits" if hits else "no SQL, no db statements, no temporary files"))
    return 1 if hits else 0


if __name__ == "__main__":
    sys.exit(main())
