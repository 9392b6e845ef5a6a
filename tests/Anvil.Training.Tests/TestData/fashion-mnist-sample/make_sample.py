"""Writes the first 512 images and labels of Fashion-MNIST t10k as gzipped IDX files.

Run from this folder: python3 make_sample.py [/usr/share/datasets/fashion-mnist]
"""
import gzip
import struct
import sys

COUNT = 512
source = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist"

with gzip.open(f"{source}/t10k-images-idx3-ubyte.gz") as f:
    magic, n, rows, cols = struct.unpack(">IIII", f.read(16))
    assert magic == 0x803 and n >= COUNT
    pixels = f.read(COUNT * rows * cols)
with gzip.open(f"{source}/t10k-labels-idx1-ubyte.gz") as f:
    magic, n = struct.unpack(">II", f.read(8))
    assert magic == 0x801 and n >= COUNT
    labels = f.read(COUNT)

# mtime=0 keeps the output byte-identical between runs.
with open("t10k-images-idx3-ubyte.gz", "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as f:
    f.write(struct.pack(">IIII", 0x803, COUNT, rows, cols) + pixels)
with open("t10k-labels-idx1-ubyte.gz", "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as f:
    f.write(struct.pack(">II", 0x801, COUNT) + labels)
