"""Anvil's DCGAN (samples/gan) in PyTorch (Debian python3-torch): same networks, batch, optimisers and step.

Prints one JSON line: {"mode": "pytorch-gan", "images_per_second": ...} for one epoch over the first
GAN_IMAGES training images (default 12,000), as `dotnet Anvil.Bench.dll gan` does for Anvil's Trainer.
"""
import gzip
import json
import os
import sys
import time

import numpy as np
import torch
from torch import nn

directory = os.environ.get("ANVIL_FASHION_MNIST", "/usr/share/datasets/fashion-mnist")
count = int(os.environ.get("GAN_IMAGES", "12000"))
epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 1
noise = 100


def read(name, offset):
    with gzip.open(os.path.join(directory, name), "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)


images = torch.from_numpy(read("train-images-idx3-ubyte.gz", 16).astype(np.float32) / 255).view(-1, 1, 28, 28)[:count]
images = images * 2 - 1  # the generator's tanh range, as Anvil's GAN run scales them

torch.set_num_threads(2)
torch.manual_seed(1)
# Dcgan.Generator([1, 28, 28], 100) and Dcgan.Discriminator([1, 28, 28]); a convolution followed by batch norm has no bias.
generator = nn.Sequential(
    nn.ConvTranspose2d(noise, 128, 7, bias=False), nn.BatchNorm2d(128), nn.ReLU(),
    nn.ConvTranspose2d(128, 64, 4, 2, 1, bias=False), nn.BatchNorm2d(64), nn.ReLU(),
    nn.ConvTranspose2d(64, 1, 4, 2, 1), nn.Tanh())
discriminator = nn.Sequential(
    nn.Conv2d(1, 64, 3, 2, 1), nn.LeakyReLU(0.2),
    nn.Conv2d(64, 128, 3, 2, 1, bias=False), nn.BatchNorm2d(128), nn.LeakyReLU(0.2),
    nn.Flatten(), nn.Linear(128 * 7 * 7, 1))
g_opt = torch.optim.Adam(generator.parameters(), lr=2e-4, betas=(0.5, 0.999))
d_opt = torch.optim.Adam(discriminator.parameters(), lr=2e-4, betas=(0.5, 0.999))
bce = nn.BCEWithLogitsLoss()

start = time.perf_counter()
for _ in range(epochs):
    order = torch.randperm(len(images))
    for i in range(0, len(images), 64):
        real = images[order[i:i + 64]]
        fake = generator(torch.randn(len(real), noise, 1, 1))
        d_opt.zero_grad()
        real_logits, fake_logits = discriminator(real), discriminator(fake.detach())
        d_loss = bce(real_logits, torch.ones_like(real_logits)) + bce(fake_logits, torch.zeros_like(fake_logits))
        d_loss.backward()
        d_opt.step()
        g_opt.zero_grad()
        logits = discriminator(fake)
        g_loss = bce(logits, torch.ones_like(logits))
        g_loss.backward()
        g_opt.step()
        d_loss.item(), g_loss.item()  # Anvil's step reads both losses every batch too
seconds = time.perf_counter() - start
print(json.dumps({"mode": "pytorch-gan", "images_per_second": len(images) * epochs / seconds, "torch": torch.__version__}))
