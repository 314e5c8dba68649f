#!/usr/bin/env python3
"""The Python baseline: the same JSON lines through the `idna` package (IDNA2008), one
verdict line per input, as the Rust example does. Usage: idna_python.py < corpus.jsonl"""
import json
import sys

import idna


def main():
    out = []
    write = out.append
    for line in sys.stdin:
        item = json.loads(line)
        name = item["domain"]
        try:
            ascii_name = idna.encode(name).decode("ascii")
            unicode_name = idna.decode(ascii_name)
            write(json.dumps({"domain": name, "ok": True, "ascii": ascii_name, "unicode": unicode_name}, ensure_ascii=False))
        except (idna.IDNAError, UnicodeError, ValueError) as error:
            write(json.dumps({"domain": name, "ok": False, "errors": [type(error).__name__]}, ensure_ascii=False))
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
