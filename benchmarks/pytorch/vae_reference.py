#!/usr/bin/env python3
"""The Fashion-MNIST sample's models and training in PyTorch, for side-by-side timing and loss comparison.

--model mlp: 784-400-20 with ReLU; --model conv: the sample's ConvFashionVae (two strided 4x4 convolutions to 64x7x7,
linear heads, a linear projection back to 64x7x7 and two transposed convolutions). Bernoulli likelihood with logits,
analytic KL, Adam 1e-3, batch 128: the same maths as samples/FashionMnist. Prints one JSON line per epoch and a final
JSON line, all losses per-example means in nats.
Needs Debian's python3-torch (and libopenblas0-openmp, or torch falls back to a slow reference BLAS).
"""
import argparse
import collections
import gzip
import json
import math
import struct
import time

import torch
import torch.nn.functional as F
from torch import nn


def read_idx(path):
    opener = gzip.open if open(path, "rb").read(2) == b"\x1f\x8b" else open
    with opener(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return torch.frombuffer(bytearray(data[4 + 4 * dims:]), dtype=torch.uint8).reshape(shape)


class Vae(nn.Module):
    """784-400-latent with ReLU. The attribute names are the generated FashionVae's field names, so its state_dict names
    (encoder.linear1.weight, encoderMu.bias, ...) are the ones VaeGen's SavePyTorch and SaveSafetensors write."""

    def __init__(self, latent):
        super().__init__()
        self.encoder = nn.Sequential(collections.OrderedDict(linear1=nn.Linear(784, 400), relu1=nn.ReLU()))
        self.encoderMu = nn.Linear(400, latent)
        self.encoderLogVar = nn.Linear(400, latent)
        self.decoder = nn.Sequential(collections.OrderedDict(linear1=nn.Linear(latent, 400), relu1=nn.ReLU()))
        self.decoderLogits = nn.Linear(400, 784)

    def encode(self, x):
        h = self.encoder(x)
        return self.encoderMu(h), self.encoderLogVar(h)

    def forward(self, x, generator=None):
        mu, logvar = self.encode(x)
        eps = torch.randn(mu.shape, generator=generator, dtype=mu.dtype)
        z = mu + torch.exp(0.5 * logvar) * eps
        return self.decoderLogits(self.decoder(z)), mu, logvar


class ConvVae(nn.Module):
    """The sample's ConvFashionVae, with the generated model's module and parameter names: 1x28x28 -> conv 4x4/2 (ReLU)
    32x14x14 -> conv 4x4/2 (ReLU) 64x7x7 -> flatten 3136 -> mu and log-variance; z -> 3136 (ReLU) as 64x7x7 ->
    transposed conv 4x4/2 (ReLU) 32x14x14 -> transposed conv 4x4/2 1x28x28 -> 784 logits."""

    def __init__(self, latent):
        super().__init__()
        self.encoderConv = nn.Sequential(collections.OrderedDict(
            conv1=nn.Conv2d(1, 32, 4, stride=2, padding=1), relu1=nn.ReLU(),
            conv2=nn.Conv2d(32, 64, 4, stride=2, padding=1), relu2=nn.ReLU()))
        self.encoderMu = nn.Linear(3136, latent)
        self.encoderLogVar = nn.Linear(3136, latent)
        self.decoderProjection = nn.Sequential(collections.OrderedDict(linear=nn.Linear(latent, 3136), relu=nn.ReLU()))
        self.decoderConv = nn.Sequential(collections.OrderedDict(
            deconv1=nn.ConvTranspose2d(64, 32, 4, stride=2, padding=1), relu1=nn.ReLU(),
            deconv2=nn.ConvTranspose2d(32, 1, 4, stride=2, padding=1)))

    def encode(self, x):
        h = self.encoderConv(x.reshape(-1, 1, 28, 28)).flatten(1)
        return self.encoderMu(h), self.encoderLogVar(h)

    def forward(self, x, generator=None):
        mu, logvar = self.encode(x)
        eps = torch.randn(mu.shape, generator=generator, dtype=mu.dtype)
        z = mu + torch.exp(0.5 * logvar) * eps
        maps = self.decoderProjection(z).reshape(-1, 64, 7, 7)
        return self.decoderConv(maps).flatten(1), mu, logvar


def loss_terms(x, logits, mu, logvar):
    """Per-example means: -E_q[log p(x|z)] (Bernoulli with logits) and KL(q || N(0, I))."""
    reconstruction = F.binary_cross_entropy_with_logits(logits, x, reduction="sum") / x.shape[0]
    kl = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp()) / x.shape[0]
    return reconstruction, kl


def evaluate(model, data, batch=500):
    model.eval()
    total_r = total_kl = 0.0
    with torch.no_grad():
        for start in range(0, data.shape[0], batch):
            x = data[start:start + batch]
            r, kl = loss_terms(x, *model(x))
            total_r += r.item() * x.shape[0]
            total_kl += kl.item() * x.shape[0]
    model.train()
    return (total_r + total_kl) / data.shape[0], total_r / data.shape[0], total_kl / data.shape[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", choices=["mlp", "conv"], default="mlp")
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--latent", type=int, default=20)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--protocol", choices=["binarized", "grayscale"], default="binarized")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    train = read_idx(f"{args.data}/train-images-idx3-ubyte.gz").reshape(-1, 784).float() / 255
    test = read_idx(f"{args.data}/t10k-images-idx3-ubyte.gz").reshape(-1, 784).float() / 255
    binarized = args.protocol == "binarized"
    if binarized:
        test = torch.bernoulli(test, generator=torch.Generator().manual_seed(0))

    torch.manual_seed(args.seed)
    model = ConvVae(args.latent) if args.model == "conv" else Vae(args.latent)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    history = []
    for epoch in range(1, args.epochs + 1):
        start = time.perf_counter()
        order = torch.randperm(train.shape[0])
        shuffled = train[order]
        sum_r = sum_kl = 0.0
        for first in range(0, shuffled.shape[0], args.batch_size):
            x = shuffled[first:first + args.batch_size]
            if binarized:
                x = torch.bernoulli(x)
            r, kl = loss_terms(x, *model(x))
            optimizer.zero_grad()
            (r + kl).backward()
            optimizer.step()
            sum_r += r.item() * x.shape[0]
            sum_kl += kl.item() * x.shape[0]
        train_seconds = time.perf_counter() - start
        test_loss, _, _ = evaluate(model, test)
        record = {
            "epoch": epoch,
            "train_loss": (sum_r + sum_kl) / train.shape[0],
            "test_loss": test_loss,
            "train_seconds": train_seconds,
            "examples_per_second": train.shape[0] / train_seconds,
        }
        history.append(record)
        print(json.dumps(record), flush=True)

    test_loss, test_r, test_kl = evaluate(model, test)
    print(json.dumps({
        "final": True,
        "torch": torch.__version__,
        "model": args.model,
        "threads": torch.get_num_threads(),
        "protocol": args.protocol,
        "test_loss": test_loss,
        "test_reconstruction": test_r,
        "test_kl": test_kl,
        "seconds_per_epoch": sum(h["train_seconds"] for h in history) / len(history),
        "examples_per_second": sum(h["examples_per_second"] for h in history) / len(history),
    }), flush=True)


if __name__ == "__main__":
    main()
