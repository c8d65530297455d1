#!/usr/bin/env python3
"""Independent numpy computation of driftwatch feature catalogue v1.

Decodes PNG files with its own zlib-based decoder (not sharp/libvips), or reads
raw 8-bit pixels given as PATH.raw:WIDTHxHEIGHTxCHANNELS, and prints one JSON
object per image: {"file", "width", "height", "features": {...}}.

Usage: numpy-features.py FILE [FILE ...] > out.json   (a JSON array)
"""
import json
import struct
import sys
import zlib

import numpy as np


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def decode_png(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path}: not a PNG")
    pos, idat, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or interlace != 0 or colour == 3:
        raise ValueError(f"{path}: only 8-bit, non-interlaced, non-palette PNG is supported here")
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[colour]
    raw = zlib.decompress(b"".join(idat))
    stride = width * channels
    out = np.zeros((height, stride), dtype=np.uint8)
    prior = np.zeros(stride, dtype=np.int64)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = np.frombuffer(raw, dtype=np.uint8, count=stride, offset=y * (stride + 1) + 1).astype(np.int64)
        if kind == 0:
            row = line
        elif kind == 1:
            row = np.cumsum(line.reshape(width, channels), axis=0).reshape(-1) % 256
        elif kind == 2:
            row = (line + prior) % 256
        else:
            row = np.zeros(stride, dtype=np.int64)
            for i in range(stride):
                left = row[i - channels] if i >= channels else 0
                up = prior[i]
                upleft = prior[i - channels] if i >= channels else 0
                pred = (left + up) // 2 if kind == 3 else paeth(left, up, upleft)
                row[i] = (line[i] + pred) % 256
        out[y] = row
        prior = row
    pixels = out.reshape(height, width, channels)
    if channels == 2:  # gray + alpha: the alpha is not a colour
        pixels = pixels[:, :, :1]
    return pixels


def read_raw(spec):
    path, shape = spec.rsplit(":", 1)
    width, height, channels = (int(v) for v in shape.split("x"))
    pixels = np.fromfile(path, dtype=np.uint8, count=width * height * channels)
    return pixels.reshape(height, width, channels)


def features(pixels):
    h, w, c = pixels.shape
    p = pixels.astype(np.int64)
    if c == 1:
        r = g = b = y = p[:, :, 0]
    else:
        r, g, b = p[:, :, 0], p[:, :, 1], p[:, :, 2]
        y = (77 * r + 150 * g + 29 * b + 128) >> 8
    n = y.size
    hist = np.bincount(y.ravel(), minlength=256)
    prob = hist[hist > 0] / n
    ordered = np.sort(y.ravel())

    def pct(q):
        return float(np.percentile(ordered, q, method="inverted_cdf"))

    mx = np.maximum(np.maximum(r, g), b)
    mn = np.minimum(np.minimum(r, g), b)
    sat = ((510 * (mx - mn) + mx) // np.maximum(2 * mx, 1)) / 255.0
    rg = (r - g).astype(np.float64)
    yb = 0.5 * (r + g) - b
    out = {
        "luma_mean": float(y.mean()),
        "luma_std": float(y.std()),
        "luma_p05": pct(5), "luma_p50": pct(50), "luma_p95": pct(95),
        "luma_entropy": float(-(prob * np.log2(prob)).sum()),
        "dark_fraction": float((y <= 16).mean()),
        "bright_fraction": float((y >= 240).mean()),
        "r_mean": float(r.mean()), "g_mean": float(g.mean()), "b_mean": float(b.mean()),
        "saturation_mean": float(sat.mean()), "saturation_std": float(sat.std()),
        "colorfulness": float(np.sqrt(rg.var() + yb.var()) + 0.3 * np.sqrt(rg.mean() ** 2 + yb.mean() ** 2)),
    }
    if h >= 3 and w >= 3:
        yf = y.astype(np.int64)
        cc = yf[1:-1, 1:-1]
        n_, s_, w_, e_ = yf[:-2, 1:-1], yf[2:, 1:-1], yf[1:-1, :-2], yf[1:-1, 2:]
        nw, ne, sw, se = yf[:-2, :-2], yf[:-2, 2:], yf[2:, :-2], yf[2:, 2:]
        lap = n_ + s_ + w_ + e_ - 4 * cc
        gx = ne + 2 * e_ + se - nw - 2 * w_ - sw
        gy = sw + 2 * s_ + se - nw - 2 * n_ - ne
        mag2 = gx * gx + gy * gy
        imm = nw + ne + sw + se - 2 * (n_ + s_ + w_ + e_) + 4 * cc
        out.update({
            "sharpness": float(lap.astype(np.float64).var()),
            "edge_density": float((mag2 > 100 * 100).mean()),
            "gradient_mean": float(np.sqrt(mag2.astype(np.float32)).astype(np.float64).mean()),
            "noise_sigma": float(np.sqrt(np.pi / 2) * np.abs(imm).sum() / (6 * (w - 2) * (h - 2))),
        })
    return out


def main(args):
    results = []
    for spec in args:
        pixels = read_raw(spec) if ".raw:" in spec else decode_png(spec)
        results.append({"file": spec, "width": pixels.shape[1], "height": pixels.shape[0], "features": features(pixels)})
    json.dump(results, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1:])
