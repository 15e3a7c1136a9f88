#!/usr/bin/env python3
"""Where a recorded run's CPU went: the share of samples per crate (the first path segment of each
sample's own function, Rust's demangled `crate::…`), then the top functions themselves.

Reads `perf script` output on stdin: a sample's first frame is the function running when it was taken.
Usage: perf script -i FILE | .ci/profile_summary.py [TOP]
"""

import collections
import re
import sys

top = int(sys.argv[1]) if len(sys.argv) > 1 else 25
by_crate = collections.Counter()
by_function = collections.Counter()
samples = 0
first_frame = False

# A Rust symbol: `<T as path::Trait>::method` or `path::to::fn`; generics and hashes trimmed.
def crate_of(symbol, dso):
    if dso.startswith("[kernel"):
        return "kernel"
    s = symbol
    while s.startswith("<"):
        s = s[1:]
    m = re.match(r"([A-Za-z_][A-Za-z0-9_]*)::", s)
    if m:
        return m.group(1)
    if "libc" in dso:
        return "libc"
    return symbol.split("@")[0] if symbol != "[unknown]" else "[unknown] " + dso

def short(symbol):
    symbol = re.sub(r"::h[0-9a-f]{16}$", "", symbol)
    return symbol if len(symbol) < 110 else symbol[:107] + "..."

for line in sys.stdin:
    if not line.strip():
        first_frame = False
        continue
    if not line.startswith((" ", "\t")):
        samples += 1
        first_frame = True
        continue
    if first_frame:
        first_frame = False
        parts = line.strip().split(" ", 1)
        rest = parts[1] if len(parts) > 1 else ""
        m = re.match(r"(.*) \((.*)\)$", rest)
        symbol, dso = (m.group(1), m.group(2)) if m else (rest, "")
        symbol = re.sub(r"\+0x[0-9a-f]+$", "", symbol)
        by_crate[crate_of(symbol, dso)] += 1
        by_function[short(symbol)] += 1

if not samples:
    sys.exit("no samples")
print(f"{samples} samples")
print()
print("| crate | share of CPU |")
print("| --- | ---: |")
for crate, n in by_crate.most_common(top):
    print(f"| `{crate}` | {100 * n / samples:.1f} % |")
print()
print("| function | share of CPU |")
print("| --- | ---: |")
for function, n in by_function.most_common(top):
    print(f"| `{function}` | {100 * n / samples:.1f} % |")
