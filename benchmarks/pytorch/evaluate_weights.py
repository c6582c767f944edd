#!/usr/bin/env python3
"""Scores VaeGen-trained weights in PyTorch: loads model.pt or model.safetensors (written by the Fashion-MNIST sample)
into vae_reference.Vae and prints the test -ELBO, reconstruction and KL in nats per image on the test set VaeGen scored.

The KL is analytic, so it should agree with VaeGen's to float32 round-off. The reconstruction term draws z, and PyTorch's
noise is not TorchSharp's: it is averaged over --repeats draws here and printed with its standard error, while VaeGen's
figure is one seeded draw, so the two -ELBOs agree to within that draw's Monte Carlo error (about 0.1 nats on 10,000
images). Needs only Debian's python3-torch; safetensors files are read by hand (8-byte little-endian header length,
JSON header, raw little-endian data), as the safetensors package may not be installed.

  dotnet run -c Release --project samples/FashionMnist -- --iw-samples 0 --output out/weights-run
  /usr/bin/python3 benchmarks/pytorch/evaluate_weights.py out/weights-run/model.safetensors
"""
import argparse
import json
import math
import os
import struct

import torch

from vae_reference import Vae, loss_terms

DTYPES = {"F32": torch.float32, "F64": torch.float64, "U8": torch.uint8, "I64": torch.int64}


def read_safetensors(path):
    """The tensors of a safetensors file, by name, skipping its __metadata__ entry."""
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length).decode("utf-8"))
        data = f.read()
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        start, end = entry["data_offsets"]
        flat = torch.frombuffer(bytearray(data[start:end]), dtype=DTYPES[entry["dtype"]])
        tensors[name] = flat.reshape(entry["shape"]) if entry["shape"] else flat.reshape(())
    return tensors


def load_weights(path):
    if path.endswith(".safetensors"):
        return read_safetensors(path)
    return torch.load(path, map_location="cpu")


def score(model, test, seed, repeats, batch=500):
    """Mean -ELBO terms per image: reconstruction averaged over `repeats` noise draws (with its standard error), KL exact."""
    generator = torch.Generator().manual_seed(seed)
    model.eval()
    reconstructions = []
    kl_total = 0.0
    with torch.no_grad():
        for r in range(repeats):
            total = 0.0
            for start in range(0, test.shape[0], batch):
                x = test[start:start + batch]
                reconstruction, kl = loss_terms(x, *model(x, generator))
                total += reconstruction.item() * x.shape[0]
                if r == 0:
                    kl_total += kl.item() * x.shape[0]
            reconstructions.append(total / test.shape[0])
    mean = sum(reconstructions) / repeats
    spread = math.sqrt(sum((v - mean) ** 2 for v in reconstructions) / (repeats - 1) / repeats) if repeats > 1 else float("nan")
    return mean, spread, kl_total / test.shape[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("weights", help="model.pt or model.safetensors from the sample's output folder")
    parser.add_argument("--test-set", help="test-binarized.safetensors (default: beside the weights)")
    parser.add_argument("--metrics", help="the sample's metrics.json, to print VaeGen's figures beside (default: beside the weights)")
    parser.add_argument("--latent", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=10, help="noise draws of z averaged in the reconstruction term")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    folder = os.path.dirname(os.path.abspath(args.weights))
    model = Vae(args.latent)
    model.load_state_dict(load_weights(args.weights), strict=True)
    test = read_safetensors(args.test_set or os.path.join(folder, "test-binarized.safetensors"))["images"].float()

    reconstruction, error, kl = score(model, test, args.seed, args.repeats)
    result = {
        "weights": args.weights,
        "torch": torch.__version__,
        "images": test.shape[0],
        "repeats": args.repeats,
        "test_loss": reconstruction + kl,
        "test_reconstruction": reconstruction,
        "reconstruction_standard_error": error,
        "test_kl": kl,
    }
    metrics = args.metrics or os.path.join(folder, "metrics.json")
    if os.path.exists(metrics):
        with open(metrics) as f:
            vaegen = json.load(f)
        test_figures = vaegen.get("test") or vaegen.get("Test") or {}
        result["vaegen"] = {k: v for k, v in test_figures.items() if not isinstance(v, (dict, list))}
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
