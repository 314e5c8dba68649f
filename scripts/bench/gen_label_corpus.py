#!/usr/bin/env python3
"""Writes a deterministic corpus of .coop names as JSON lines {"domain": .., "lang": ..}.

Mix: ASCII LDH names, valid IDN names from each of the six tables (with their tag), and
invalid ones (bad characters, hyphen positions, mixed scripts, bad A-labels, over-long,
upper-case non-ASCII, full-width, joiners). Usage: gen_label_corpus.py COUNT > corpus.jsonl
"""
import json
import random
import sys

TABLES = {
    "DE": "äöüß",
    "FR": "àâæçèéêëîïôùûüÿœ",
    "ES": "áéíñóúü",
    "IT": "àèéìíîòóùú",
    "PT": "àáâãçéêíóôõúü",
}
LATIN = "abcdefghijklmnopqrstuvwxyz"
CYRILLIC = "".join(chr(c) for c in range(0x430, 0x450)) + "ёіїєґўјљњћџђѓќѕ"
DIGITS = "0123456789"


def ldh(rng, n):
    s = rng.choice(LATIN) + "".join(rng.choice(LATIN + DIGITS + "-") for _ in range(n - 2))
    s += rng.choice(LATIN + DIGITS)
    return s.replace("--", "-a")


def idn_label(rng, tag):
    if tag == "CYRL":
        letters = CYRILLIC
        base = CYRILLIC
    else:
        letters = TABLES[tag]
        base = LATIN
    n = rng.randint(3, 18)
    chars = [rng.choice(base) for _ in range(n)]
    for _ in range(rng.randint(1, 3)):
        chars[rng.randrange(n)] = rng.choice(letters)
    return "".join(chars)


def invalid(rng):
    kind = rng.randrange(10)
    word = ldh(rng, rng.randint(4, 12))
    if kind == 0:
        return {"domain": word[:2] + "_" + word[2:] + ".coop"}
    if kind == 1:
        return {"domain": "-" + word + ".coop"}
    if kind == 2:
        return {"domain": word[:2] + "--" + word[2:] + ".coop"}
    if kind == 3:  # Cyrillic look-alikes mixed with Latin
        return {"domain": "р" + word + ".coop", "lang": "CYRL"}
    if kind == 4:
        return {"domain": "xn--" + word + "9.coop"}
    if kind == 5:
        return {"domain": "a" * rng.randint(64, 80) + ".coop"}
    if kind == 6:
        return {"domain": "MÜ" + word + ".coop", "lang": "DE"}
    if kind == 7:
        return {"domain": "".join(chr(ord(c) + 0xFEE0) if c.isalpha() else c for c in word) + ".coop"}
    if kind == 8:
        return {"domain": word[:3] + "\u200d" + word[3:] + ".coop"}
    return {"domain": word + ".com"}


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    rng = random.Random(20261126)
    tags = ["DE", "FR", "ES", "IT", "PT", "CYRL"]
    out = sys.stdout
    for i in range(count):
        r = rng.random()
        if r < 0.4:
            item = {"domain": ldh(rng, rng.randint(3, 20)) + ".coop"}
        elif r < 0.8:
            tag = tags[i % len(tags)]
            item = {"domain": idn_label(rng, tag) + ".coop", "lang": tag}
        else:
            item = invalid(rng)
        out.write(json.dumps(item, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
