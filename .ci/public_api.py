#!/usr/bin/env python3
"""Committed public-API listings of the crates that publish (issue 14).

    .ci/public_api.py          # check: rebuild the listings, fail on any difference
    .ci/public_api.py --bless  # rewrite public-api/<crate>.txt after a deliberate change

A listing is read from rustdoc's HTML, built with the MSRV toolchain (a fixed
release, so the markup does not move under us) and every feature except
`fuzzing` (the arbitrary impls are not public API). One line per item
declaration, inherent method signature, trait impl and auto-trait impl, sorted.
Blanket impls (From<T> for T ...) are left out: they follow from the rest.
"""
import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "public-api"
TARGET = ROOT / "target" / "msrv"
SKIP_FEATURES = {"fuzzing", "default"}


def toolchain():
    for line in (ROOT / "Cargo.toml").read_text().splitlines():
        m = re.match(r'rust-version = "(.*)"', line)
        if m:
            return m.group(1)
    raise SystemExit("no rust-version in Cargo.toml")


def crates():
    meta = json.loads(subprocess.check_output(
        ["cargo", "metadata", "--no-deps", "--format-version", "1"], cwd=ROOT))
    for p in meta["packages"]:
        if p.get("publish") == [] or not any("lib" in t["kind"] for t in p["targets"]):
            continue
        yield p["name"], sorted(f for f in p["features"] if f not in SKIP_FEATURES)


def text(fragment):
    s = re.sub(r"<summary.*?</summary>", "", fragment, flags=re.S)  # "Show 13 variants"
    s = re.sub(r"<[^>]+>", "", s)
    s = html.unescape(s).replace("\u24d8", "")  # the notable-traits marker
    return re.sub(r"\s+", " ", s).strip()


def listing(crate):
    doc = TARGET / "doc" / crate.replace("-", "_")
    index = (doc / "all.html").read_text()
    lines = set()
    for href, path in re.findall(r'<li><a href="([^"]+)">([^<]+)</a></li>', index):
        page = (doc / href).read_text()
        kind = href.rsplit("/", 1)[-1].split(".", 1)[0]
        name = f"{crate.replace('-', '_')}::{path}"
        decl = re.search(r'<pre class="rust item-decl"><code>(.*?)</code></pre>', page, re.S)
        if decl:
            lines.add(f"{kind} {name}: {text(decl.group(1))}")
        else:
            lines.add(f"{kind} {name}")
        cut = page.find('id="blanket-implementations-list"')
        body = page if cut < 0 else page[:cut]
        trait_impls = body.find('id="trait-implementations-list"')
        for m in re.finditer(r'<(h3|h4) class="code-header">(.*?)</\1>', body, re.S):
            header = text(m.group(2))
            if m.group(1) == "h3":
                lines.add(f"{name}: {header}")
            elif trait_impls < 0 or m.start() < trait_impls:
                lines.add(f"{name}::{header}")  # inherent methods and associated items
    return sorted(lines)


def main():
    bless = "--bless" in sys.argv
    tc = toolchain()
    env = dict(os.environ, CARGO_TARGET_DIR=str(TARGET), RUSTDOCFLAGS="")
    OUT.mkdir(exist_ok=True)
    failed = []
    for crate, features in crates():
        cmd = ["cargo", f"+{tc}", "doc", "-q", "--no-deps", "-p", crate]
        if features:
            cmd += ["--features", ",".join(features)]
        subprocess.check_call(cmd, cwd=ROOT, env=env)
        new = "\n".join(listing(crate)) + "\n"
        path = OUT / f"{crate}.txt"
        old = path.read_text() if path.exists() else ""
        if new != old:
            if bless:
                path.write_text(new)
                print(f"{path.relative_to(ROOT)}: rewritten")
            else:
                failed.append(crate)
                a, b = set(old.splitlines()), set(new.splitlines())
                print(f"public API of {crate} differs from {path.relative_to(ROOT)}:")
                for line in sorted(a - b):
                    print(f"  - {line}")
                for line in sorted(b - a):
                    print(f"  + {line}")
        else:
            print(f"{crate}: {len(new.splitlines())} lines, unchanged")
    if failed:
        print("If the change is deliberate, run .ci/public_api.py --bless and commit public-api/.")
        sys.exit(1)


if __name__ == "__main__":
    main()
