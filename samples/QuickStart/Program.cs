using System;
using System.Globalization;
using QuickStart;
using TorchSharp;

const int seed = 1;
const int batch = 64;
torch.manual_seed(seed);

using var model = new FashionVae();
// A stand-in batch: pixel intensities in [0, 1], as Bernoulli targets want.
using var x = torch.rand(batch, FashionVae.InputSize);
using var output = model.forward(x);
using var loss = model.Loss(x, output);
using var logLikelihood = model.LogLikelihood(x, importanceSamples: 64);

string Nats(torch.Tensor t) => t.item<float>().ToString("F2", CultureInfo.InvariantCulture);
Console.WriteLine($"FashionVae: {FashionVae.InputSize} -> 400 -> {FashionVae.LatentSize}, Bernoulli likelihood, {FashionVae.ParameterCount:N0} parameters (seed {seed}, untrained)");
Console.WriteLine($"batch of {batch} uniform-random images, nats per example:");
Console.WriteLine($"  -ELBO          {Nats(loss.Total)}");
Console.WriteLine($"  reconstruction {Nats(loss.Reconstruction)}");
Console.WriteLine($"  KL             {Nats(loss.Kl)}");
Console.WriteLine($"  log p(x) >=    {Nats(logLikelihood.mean())}  (importance-weighted, k = 64)");
