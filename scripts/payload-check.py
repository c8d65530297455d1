#!/usr/bin/env python3
"""Decodes every payload golden vector with Debian's python3-msgpack, a second
msgpack implementation, and prints {name: value} as JSON (bin as {"$bin": hex}).
strict_map_key=True refuses non-string map keys; ext types are refused here.
Usage: /usr/bin/python3 scripts/payload-check.py [fixture folder]"""
import json
import os
import sys

import msgpack


def plain(value, path):
    if isinstance(value, (bytes, bytearray)):
        return {"$bin": bytes(value).hex()}
    if isinstance(value, msgpack.ExtType):
        raise SystemExit(f"{path}: msgpack ext type {value.code} is not allowed")
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise SystemExit(f"{path}: map key {key!r} is not a string")
            out[key] = plain(item, f"{path}.{key}")
        return out
    if isinstance(value, list):
        return [plain(item, f"{path}[{i}]") for i, item in enumerate(value)]
    return value


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "payloads")
    result = {}
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".msgpack"):
            continue
        with open(os.path.join(folder, name), "rb") as f:
            raw = f.read()
        value = msgpack.unpackb(raw, raw=False, strict_map_key=True)
        result[name[: -len(".msgpack")]] = plain(value, name)
    json.dump(result, sys.stdout, indent=1, sort_keys=True, allow_nan=False)
    print()


if __name__ == "__main__":
    main()
