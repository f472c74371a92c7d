#!/usr/bin/env python3
"""png_colors.py FILE: prints "WIDTH HEIGHT COLOURS INKED": the size of an
8-bit RGB or RGBA PNG, how many distinct colours it has, and the per mille
of its pixels that are not the colour of its top-left corner.  A test
uses it to tell a rendered page from a blank screenshot.  Standard
library only (zlib), no image package."""
import struct
import sys
import zlib


def rows(data):
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit("not a PNG")
    pos, idat, head = 8, [], None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            head = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        pos += 12 + n
    width, height, depth, ctype, _, _, interlace = head
    if depth != 8 or ctype not in (2, 6) or interlace:
        sys.exit("only 8-bit RGB or RGBA, not interlaced")
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    prev = bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if f == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif f == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, prev))
        elif f == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 255
        elif f == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = prev[i]
                c = prev[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pred) & 255
        yield width, height, bpp, bytes(line)
        prev = line


def main():
    colours, inked, total, corner = set(), 0, 0, None
    width = height = 0
    for width, height, bpp, line in rows(open(sys.argv[1], "rb").read()):
        pixels = [line[i:i + 3] for i in range(0, len(line), bpp)]
        if corner is None:
            corner = pixels[0]
        colours.update(pixels)
        inked += sum(1 for p in pixels if p != corner)
        total += len(pixels)
    print(width, height, len(colours), inked * 1000 // max(total, 1))


main()
