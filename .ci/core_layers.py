"""The core's modules form layers, each using only its own and those below it, with no circle anywhere.

Every `crate::…` and `super::…` path in a module's code (its tests aside) names the module it reaches;
each module belongs to the unit of the longest prefix listed in LAYERS. Fails on a path from one unit to a
unit of a higher layer, and on any circle of units, naming the files that make it.
"""

import os
import re
import sys

# Bottom first. A unit is a module path; a module belongs to the longest unit that is a prefix of its path.
LAYERS = [
    (
        "values: money, ids, languages and their words, refusals",
        [
            "model::money", "model::ids", "model::tokens", "model::phone", "model::printable",
            "locale", "policy::refusal", "calendar::holidays", "calendar::zones", "calendar::bounds",
            "retry", "text",
        ],
    ),
    (
        "records: what is stored of creditors, debtors and their settings",
        [
            "model::place", "model::dunning", "policy", "policy::statement", "model", "plans",
            "interest::rates", "interest::settings", "notices::settings", "billing::settings",
            "risk::settings", "audit::settings", "webhooks::canonical", "country_rules",
        ],
    ),
    (
        "calendar and precedence: when, where and whose setting applies",
        ["calendar", "calendar::place", "policy::precedence"],
    ),
    (
        "ledger and engines: what a fact means, charges, plans, risk, billing, notices, platforms",
        [
            "ledger", "interest", "billing", "risk", "notices", "handoff", "audit", "webhooks",
            "platforms",
        ],
    ),
    (
        "deciding and saying: the planner, messages, reports, settings and the web's pure logic",
        ["planner", "messages", "report", "settings", "calls", "web"],
    ),
]

ROOT = os.path.join(os.path.dirname(__file__), "..", "shared", "core", "src")


def modules():
    found = {}
    for directory, _, names in os.walk(ROOT):
        for name in names:
            if not name.endswith(".rs") or name in ("tests.rs", "testing.rs"):
                continue
            path = os.path.join(directory, name)
            parts = os.path.relpath(path, ROOT)[:-3].split(os.sep)
            if parts[-1] == "mod":
                parts = parts[:-1]
            # The library's root, and the commands built on it, which reach it as a crate of its own.
            if parts == ["lib"] or parts[0] == "bin":
                continue
            found[tuple(parts)] = path
    return found


def without_tests_and_comments(source):
    source = re.sub(r"//[^\n]*", "", source)
    out, i = [], 0
    for m in re.finditer(r"#\[cfg\(test\)\]\s*(pub(\([^)]*\))?\s+)?mod\s+\w+\s*\{", source):
        if m.start() < i:
            continue
        out.append(source[i : m.start()])
        depth, j = 1, m.end()
        while depth and j < len(source):
            depth += {"{": 1, "}": -1}.get(source[j], 0)
            j += 1
        i = j
    out.append(source[i:])
    return "".join(out)


def paths(source, module):
    for m in re.finditer(r"\b((?:crate|super)(?:::\w+)+)(?:::\{([^}]*)\})?", source):
        segments = m.group(1).split("::")
        if segments[0] == "crate":
            base = segments[1:]
        else:
            up = len(list(s for s in segments if s == "super"))
            base = list(module[: len(module) - up]) + segments[up:]
        if m.group(2):
            for name in re.findall(r"(?:^|,)\s*(\w+)", m.group(2)):
                yield base + [name]
        yield base


def main():
    files = modules()
    units = {tuple(u.split("::")): layer for layer, (_, us) in enumerate(LAYERS) for u in us}

    def unit_of(module):
        for n in range(len(module), 0, -1):
            if module[:n] in units:
                return module[:n]
        return None

    def reached(path):
        for n in range(len(path), 0, -1):
            if tuple(path[:n]) in files:
                return tuple(path[:n])
        return None

    problems, edges = [], {}
    for module, file in sorted(files.items()):
        unit = unit_of(module)
        if unit is None:
            problems.append(f"{file}: module {'::'.join(module)} is in no layer of .ci/core_layers.py")
            continue
        text = without_tests_and_comments(open(file, encoding="utf-8").read())
        for path in paths(text, module):
            target = reached(path)
            if target is None:
                continue
            other = unit_of(target)
            if other is None or other == unit:
                continue
            edges.setdefault(unit, {}).setdefault(other, set()).add((file, "::".join(path)))
            if units[other] > units[unit]:
                problems.append(
                    f"{os.path.relpath(file, ROOT)}: {'::'.join(path)} runs up from "
                    f"{LAYERS[units[unit]][0].split(':')[0]} to {LAYERS[units[other]][0].split(':')[0]}"
                )

    # Circles of units, found by depth-first search.
    state, stack = {}, []

    def visit(unit):
        state[unit] = "open"
        stack.append(unit)
        for other in sorted(edges.get(unit, {})):
            if state.get(other) == "open":
                circle = stack[stack.index(other):] + [other]
                steps = []
                for a, b in zip(circle, circle[1:]):
                    file, path = sorted(edges[a][b])[0]
                    steps.append(f"  {os.path.relpath(file, ROOT)} uses {path}")
                problems.append("a circle: " + " -> ".join("::".join(u) for u in circle) + "\n" + "\n".join(steps))
            elif other not in state:
                visit(other)
        stack.pop()
        state[unit] = "done"

    for unit in sorted(edges):
        if unit not in state:
            visit(unit)
    circles = [p for p in problems if p.startswith("a circle")]
    if len(circles) > 5:
        # One import that runs back up closes many circles; the first few name it.
        problems = [p for p in problems if not p.startswith("a circle")] + circles[:5]

    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} imports break the core's layers (.ci/core_layers.py lists them, bottom first)")
        sys.exit(1)
    print(f"duly-core: {len(files)} modules in {len(units)} units over {len(LAYERS)} layers, none using one above it")


main()
