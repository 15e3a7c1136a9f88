#!/usr/bin/env python3
"""Where a recorded run's CPU went: the share of samples per crate (the first path segment of each
sample's own function, Rust's demangled `crate::…`), then the top functions themselves.

Reads `perf script -F ip,sym,dso` on stdin. Usage: perf script -F ip,sym,dso -i FILE | .ci/profile_summary.py [TOP]
"""

import collections
import re
import sys

top = int(sys.argv[1]) if len(sys.argv) > 1 else 25
by_crate = collections.Counter()
by_function = collections.Counter()
samples = 0

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
    # `perf script -F ip,sym,dso`: one sample a line, the function running when it was taken.
    m = re.match(r"\s*[0-9a-f]+ (.*) \((.*)\)$", line.rstrip("\n"))
    if not m:
        continue
    symbol, dso = re.sub(r"\+0x[0-9a-f]+$", "", m.group(1)), m.group(2)
    samples += 1
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
