#!/usr/bin/env python3
"""Fails when a test is written into a target built without a test harness (`test = false` in its
Cargo.toml): such a test would never run. Those targets are the functions' thin shells and the test kit's
commands, tested through the test kit's integration tests instead."""

import pathlib
import re
import sys
import tomllib


def sources(target):
    """The files a target's modules live in: a library's folder, a `main.rs` in a folder of its own
    (`bin/demo/`), else the one file (a `src/main.rs` beside a library holds no modules of its own)."""
    if target.name == "lib.rs" or (target.name == "main.rs" and target.parent.name != "src"):
        return sorted(target.parent.rglob("*.rs"))
    return [target]


root = pathlib.Path(__file__).resolve().parent.parent
members = tomllib.loads((root / "Cargo.toml").read_text())["workspace"]["members"]
found = []
for member in members:
    for folder in sorted(root.glob(member)):
        manifest = tomllib.loads((folder / "Cargo.toml").read_text())
        targets = []
        if manifest.get("lib", {}).get("test") is False:
            targets.append(folder / manifest["lib"].get("path", "src/lib.rs"))
        targets += [folder / b["path"] for b in manifest.get("bin", []) if b.get("test") is False]
        for target in targets:
            for f in sources(target):
                if re.search(r"#\[(tokio::)?test\b", f.read_text()):
                    found.append(f"{f.relative_to(root)}: a test in a target built with `test = false`")
for line in sorted(set(found)):
    print(line, file=sys.stderr)
sys.exit(1 if found else 0)
