"""The resnet-18 of samples/transfer in PyTorch (Debian python3-torch): the same layers (stages of 2, 2, 2
and 3 basic blocks, as the ImageNet file Anvil imports has them), RGB 64x64 images, Adam, batch 50, one thread.

Prints one JSON line: {"mode": "pytorch-transfer", "images_per_second": ...} for one epoch over the first
TRANSFER_IMAGES training images (default 1,000), as `dotnet Anvil.Bench.dll transfer` does for Anvil's Trainer.
"""
import gzip
import json
import os
import sys
import time

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

directory = os.environ.get("ANVIL_FASHION_MNIST", "/usr/share/datasets/fashion-mnist")
count = int(os.environ.get("TRANSFER_IMAGES", "1000"))
epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 1


def read(name, offset):
    with gzip.open(os.path.join(directory, name), "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)


images = torch.from_numpy(read("train-images-idx3-ubyte.gz", 16).astype(np.float32) / 255).view(-1, 1, 28, 28)[:count]
images = F.interpolate(images, size=(64, 64), mode="bilinear", align_corners=False).expand(-1, 3, -1, -1).contiguous()
labels = torch.from_numpy(read("train-labels-idx1-ubyte.gz", 8).astype(np.int64))[:count]


class Block(nn.Module):
    """ResidualBlock of Anvil: conv3x3-BN-ReLU-conv3x3-BN plus identity or conv1x1-BN, then ReLU."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(),
            nn.Conv2d(cout, cout, 3, 1, 1, bias=False), nn.BatchNorm2d(cout))
        self.shortcut = nn.Identity() if cin == cout and stride == 1 else nn.Sequential(
            nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        return F.relu(self.body(x) + self.shortcut(x))


torch.set_num_threads(1)
torch.manual_seed(1)
blocks = [(64, 64, 1), (64, 64, 1), (64, 128, 2), (128, 128, 1), (128, 256, 2), (256, 256, 1), (256, 512, 2), (512, 512, 1), (512, 512, 1)]
model = nn.Sequential(
    nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(3, 2, 1),
    *[Block(*b) for b in blocks], nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(512, 10))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

start = time.perf_counter()
for _ in range(epochs):
    order = torch.randperm(len(images))
    for i in range(0, len(images), 50):
        batch = order[i:i + 50]
        optimizer.zero_grad()
        loss = F.cross_entropy(model(images[batch]), labels[batch])
        loss.backward()
        optimizer.step()
        loss.item()  # Anvil's step reads the loss every batch too
seconds = time.perf_counter() - start
print(json.dumps({"mode": "pytorch-transfer", "images_per_second": len(images) * epochs / seconds, "torch": torch.__version__}))
