"""The article's CNN in PyTorch (Debian python3-torch), same data, batch and optimizer as Anvil's bench.

Prints one JSON line: {"mode": "pytorch", "images_per_second": ...}. With MALLOPT=1 it first applies
the same glibc malloc settings Anvil's TorchRuntime applies, for a like-for-like comparison.
"""
import ctypes
import gzip
import json
import os
import sys
import time

import numpy as np
import torch
from torch import nn

if os.environ.get("MALLOPT") == "1":
    libc = ctypes.CDLL("libc.so.6")
    libc.mallopt(-4, 0)            # M_MMAP_MAX: never serve allocations with mmap
    libc.mallopt(-1, 2**31 - 1)    # M_TRIM_THRESHOLD: never give the heap back

directory = os.environ.get("ANVIL_FASHION_MNIST", "/usr/share/datasets/fashion-mnist")
epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 1


def read(name, offset):
    with gzip.open(os.path.join(directory, name), "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)


images = torch.from_numpy(read("train-images-idx3-ubyte.gz", 16).astype(np.float32) / 255).view(-1, 1, 28, 28)
labels = torch.from_numpy(read("train-labels-idx1-ubyte.gz", 8).astype(np.int64))
images = (images - images.mean()) / images.std()

torch.set_num_threads(2)
torch.manual_seed(1)
model = nn.Sequential(
    nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(64, 64, 3), nn.ReLU(), nn.Flatten(),
    nn.Linear(576, 64), nn.ReLU(), nn.Linear(64, 10))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()

start = time.perf_counter()
for _ in range(epochs):
    order = torch.randperm(len(images))
    for i in range(0, len(images), 64):
        index = order[i:i + 64]
        optimizer.zero_grad()
        loss = loss_fn(model(images[index]), labels[index])
        loss.backward()
        optimizer.step()
        loss.item()
seconds = time.perf_counter() - start
mode = "pytorch-tuned" if os.environ.get("MALLOPT") == "1" else "pytorch"
print(json.dumps({"mode": mode, "images_per_second": len(images) * epochs / seconds, "torch": torch.__version__}))
