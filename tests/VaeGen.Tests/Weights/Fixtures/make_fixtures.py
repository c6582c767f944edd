#!/usr/bin/env python3
"""Writes the weights files that ModelWeightsTests loads: what PyTorch itself writes, not what VaeGen wrote.

The PyTorch module below has the attribute names of the generated ShapeVae ([Vae(12, 3)] [Encoder(16)] [Decoder(16)]),
so its state_dict has the same names. Tensor k (in state_dict order) holds k + arange(numel) / 1000 in float32, which
the test recomputes. Run from this folder with Debian's python3-torch: /usr/bin/python3 make_fixtures.py
shape_vae.pt is torch.save of the state_dict; shape_vae.safetensors is written by hand here (an 8-byte little-endian
header length, the JSON header, then the raw little-endian bytes), since the safetensors package is not installed.
"""
import collections
import json
import struct

import torch
from torch import nn


class ShapeVae(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(collections.OrderedDict(linear1=nn.Linear(12, 16), relu1=nn.ReLU()))
        self.encoderMu = nn.Linear(16, 3)
        self.encoderLogVar = nn.Linear(16, 3)
        self.decoder = nn.Sequential(collections.OrderedDict(linear1=nn.Linear(3, 16), relu1=nn.ReLU()))
        self.decoderLogits = nn.Linear(16, 12)


def save_safetensors(path, state):
    header, blobs, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name, tensor in state.items():
        data = tensor.detach().contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensor.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def main():
    model = ShapeVae()
    with torch.no_grad():
        for k, tensor in enumerate(model.state_dict().values()):
            tensor.copy_((k + torch.arange(tensor.numel(), dtype=torch.float32) / 1000).reshape(tensor.shape))
    torch.save(model.state_dict(), "shape_vae.pt")
    save_safetensors("shape_vae.safetensors", model.state_dict())
    print(list(model.state_dict().keys()))


if __name__ == "__main__":
    main()
