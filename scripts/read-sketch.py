#!/usr/bin/env python3
"""Second, independent reader of the QuantileSketch format (docs/sketches.md).

Usage: read-sketch.py SKETCH.bin [ANSWERS.json]
Parses the bytes with struct, checks the CRC-32 with zlib, rebuilds the
weighted items and prints n, min, max, quantiles and ranks as JSON; with
ANSWERS.json (written by scripts/sketch-golden.mjs) it exits 1 on any mismatch.
"""
import json
import struct
import sys
import zlib


def read(data: bytes) -> dict:
    if data[:4] != b"DWQS":
        raise ValueError("wrong magic")
    version, reserved, levels, k, rng, n, lo, hi = struct.unpack_from("<BBHIIdff", data, 4)
    if version != 1:
        raise ValueError(f"format version {version}")
    sizes = struct.unpack_from(f"<{levels}I", data, 32)
    start = 32 + 4 * levels
    end = start + 4 * sum(sizes)
    if len(data) != end + 4 or struct.unpack_from("<I", data, end)[0] != zlib.crc32(data[:end]):
        raise ValueError("length or checksum")
    items = struct.unpack_from(f"<{sum(sizes)}f", data, start)
    weighted, at = [], 0
    for level, size in enumerate(sizes):
        weighted += [(x, 2 ** level) for x in items[at:at + size]]
        at += size
    weighted.sort(key=lambda pair: pair[0])
    assert sum(w for _, w in weighted) == n
    return {"k": k, "n": n, "min": lo, "max": hi, "items": weighted}


def rank(sketch: dict, x: float) -> float:
    x32 = struct.unpack("<f", struct.pack("<f", x))[0]
    return sum(w for v, w in sketch["items"] if v <= x32) / sketch["n"]


def quantile(sketch: dict, q: float) -> float:
    if q == 0:
        return sketch["min"]
    if q == 1:
        return sketch["max"]
    total = 0
    for v, w in sketch["items"]:
        total += w
        if total >= q * sketch["n"]:
            return v
    return sketch["items"][-1][0]


def main() -> int:
    with open(sys.argv[1], "rb") as f:
        sketch = read(f.read())
    if len(sys.argv) < 3:
        print(json.dumps({key: sketch[key] for key in ("k", "n", "min", "max")}))
        return 0
    with open(sys.argv[2]) as f:
        answers = json.load(f)
    bad = [f"{key}" for key in ("k", "n", "min", "max") if sketch[key] != answers[key]]
    bad += [f"quantile({q})" for q, v in answers["quantiles"] if quantile(sketch, q) != v]
    bad += [f"rank({x})" for x, r in answers["ranks"] if rank(sketch, x) != r]
    print("ok" if not bad else "mismatch: " + ", ".join(bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
