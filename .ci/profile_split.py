#!/usr/bin/env python3
"""Where a webhook's CPU goes, by what each sample's call stack was doing: inside the SDK's call (split by
its parts), in hyper's connection task, in Duly's own code, or in the runtime waiting for the socket.

This shows the floor a leaner request path could reach: everything outside the SDK's call stays, and
inside it signing, serialising and handing the request to hyper would stay in any client.

Reads `perf script -F comm,ip,sym` of a recording made with `--call-graph dwarf` on stdin. Samples of the
cost model's setup (the table, the signed deliveries) are left out, so the shares are of the timed pass.
Usage: perf script -F comm,ip,sym -i FILE | .ci/profile_split.py
"""

import collections
import sys

# Frames that only the cost model's setup runs, before its timed pass.
SETUP = ("to_request", "create_ledger_table", "signed_delivery", "_dl_", "dl_main", "facts::", "Local::",
         "OPENSSL_cpuid", "measuring_capacity")
SDK_CALL = ("FluentBuilder::send", "aws_smithy_runtime::client::orchestrator")
# Checked in order; the first that matches a sample's stack takes it.
SDK_PARTS = [
    ("signing (SigV4)", ("aws_sigv4", "SigV4Signer")),
    ("serialising the request", ("ser_transact", "ser_attribute", "ser_put", "ser_update", "ser_condition",
                                 "serialize_structure")),
    ("parsing the response", ("de_transact", "deser_")),
    ("handing the request to hyper", ("HttpConnector>::call", "hyper_util::client", "hyper::client")),
    ("endpoint resolution", ("resolve_endpoint", "endpoint_lib", "EndpointResolver")),
]


def stacks(lines):
    """Each sample's frames, innermost first: one indented line per frame, samples apart by a blank line
    (with a header line first when `perf script` prints fields other than the frames')."""
    frames = []
    for line in lines:
        line = line.rstrip("\n")
        if not line.strip():
            if frames:
                yield frames
            frames = []
        elif line[0] in " \t":
            frames.append(line.strip().split(" ", 1)[-1])
    if frames:
        yield frames


def has(frames, patterns):
    return any(p in f for f in frames for p in patterns)


kinds = collections.Counter()
parts = collections.Counter()
for frames in stacks(sys.stdin):
    if has(frames, SETUP):
        continue
    if has(frames, SDK_CALL):
        kinds["the SDK's call (`send` and below)"] += 1
        part = next((name for name, patterns in SDK_PARTS if has(frames, patterns)),
                    "the rest of the orchestrator: config bags, interceptors, retry, plugins, drops")
        parts[part] += 1
    elif has(frames, ("hyper",)):
        kinds["hyper's connection task (writing and reading the socket)"] += 1
    elif has(frames, ("duly_",)):
        kinds["Duly's code: verify, parse, decide, build the write"] += 1
    elif has(frames, ("epoll_wait", "park")):
        kinds["the runtime waiting for the socket (epoll)"] += 1
    else:
        kinds["other"] += 1

total = sum(kinds.values())
if not total:
    sys.exit("no samples with call stacks: record with --call-graph dwarf")
print(f"{total} samples in the timed pass")
print()
print("| where | share of CPU |")
print("| --- | ---: |")
for kind, n in kinds.most_common():
    print(f"| {kind} | {100 * n / total:.1f} % |")
    if kind.startswith("the SDK's call"):
        for part, m in parts.most_common():
            print(f"| &nbsp;&nbsp;of which {part} | {100 * m / total:.1f} % |")
