#!/usr/bin/env python3
"""Extracts the golden telegrams of the public test suites into tests/data, bytes exact.

Sources (pinned commits, read with `git show` from local clones):
  ndokter/dsmr_parser (MIT) test/example_telegrams.py  -> tests/data/dsmr_parser/<NAME>.txt
      Python string literals evaluated with ast.literal_eval (no code is run); each str is
      encoded as latin-1 so `\\xff` stays byte 0xFF and `\\2` stays byte 0x02.
  athombv/node-dsmr-parser (ISC) tests/telegrams/dsmr/*.txt -> tests/data/node_dsmr_parser/
      The repository stores them with LF line ends and its tests convert LF to CRLF before
      parsing (tests/util.ts); we store the converted bytes.
Usage: extract.py DSMR_PARSER_CLONE NODE_DSMR_PARSER_CLONE
"""
import ast, subprocess, sys, pathlib

HERE = pathlib.Path(__file__).resolve().parent.parent / "tests" / "data"

def show(repo, path):
    return subprocess.run(["git", "-C", repo, "show", "HEAD:" + path], check=True,
                          capture_output=True).stdout

def main():
    dp, node = sys.argv[1], sys.argv[2]
    src = show(dp, "test/example_telegrams.py").decode()
    for node_ in ast.parse(src).body:
        if isinstance(node_, ast.Assign) and node_.targets[0].id.startswith("TELEGRAM_"):
            value = ast.literal_eval(node_.value)
            (HERE / "dsmr_parser" / (node_.targets[0].id + ".txt")).write_bytes(value.encode("latin-1"))
    files = subprocess.run(["git", "-C", node, "ls-tree", "--name-only", "HEAD", "tests/telegrams/dsmr/"],
                           check=True, capture_output=True, text=True).stdout.split()
    for f in files:
        if f.endswith(".txt"):
            data = show(node, f).replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
            (HERE / "node_dsmr_parser" / pathlib.Path(f).name).write_bytes(data)
    for f in ["dsmr-luxembourgh-spec-example-with-aad.txt", "dsmr-luxembourgh-spec-example-without-aad.txt"]:
        (HERE / "node_dsmr_parser" / ("encrypted-" + f)).write_bytes(show(node, "tests/telegrams/dsmr/encrypted/" + f))

if __name__ == "__main__":
    main()
