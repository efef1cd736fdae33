#!/usr/bin/env python3
"""Turns a disk image file into a fuzz seed in the form of tests/fuzz/sparse_image.hpp: the image
size, then its bytes that are not zero as literal records, with long runs of one byte as fills.
Usage: make_image_seed.py IMAGE SEED"""
import struct
import sys

MIN_RUN = 32  # a run of one byte this long becomes a fill record
MAX_LEN = 0xFFFF


def records(image):
    out = []
    i, n = 0, len(image)
    literal_start = None

    def flush_literal(end):
        nonlocal literal_start
        if literal_start is None:
            return
        s = literal_start
        while s < end:
            e = min(end, s + MAX_LEN)
            out.append(struct.pack("<IHB", s, e - s, 0) + image[s:e])
            s = e
        literal_start = None

    while i < n:
        b = image[i]
        j = i
        while j < n and image[j] == b and j - i < MAX_LEN:
            j += 1
        if j - i >= MIN_RUN:
            flush_literal(i)
            if b != 0:
                out.append(struct.pack("<IHBB", i, j - i, 1, b))
            i = j
            continue
        if literal_start is None:
            literal_start = i
        i = j
    flush_literal(n)
    return out


def main():
    image = open(sys.argv[1], "rb").read()
    with open(sys.argv[2], "wb") as seed:
        seed.write(struct.pack("<I", len(image)))
        for r in records(image):
            seed.write(r)


if __name__ == "__main__":
    main()
