"""Shared by the oracle scripts: compare regenerated vectors with the committed file
(--check) or write them."""
import difflib
import sys


def check_or_write(text, out, label, count, theirs):
    """`text` is the regenerated file, `count` its number of vectors; `theirs` names
    the oracle in the diff header."""
    if "--check" in sys.argv:
        old = open(out).read()
        if old != text:
            sys.stdout.writelines(difflib.unified_diff(old.splitlines(True), text.splitlines(True), "committed", theirs))
            print("%s: MISMATCH with committed vectors" % label)
            sys.exit(1)
        print("%s: %d vectors identical to committed" % (label, count))
    else:
        open(out, "w").write(text)
        print("wrote %d vectors to %s" % (count, out))
