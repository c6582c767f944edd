using System;
using System.Globalization;
using System.Linq;
using OnnxDeployment;

// A VaeGen model deployed with ONNX Runtime alone: no TorchSharp, no libtorch. Give it the folder ExportOnnx wrote
// (samples/OnnxDeployment.TorchSharp writes one: dotnet run -c Release --project samples/OnnxDeployment.TorchSharp -- export out/onnx).
//   OnnxDeployment MODEL_DIR                        encode, decode and score test images, and score noise
//   OnnxDeployment MODEL_DIR first                  start-up: encode one image, print its code, exit
//   OnnxDeployment MODEL_DIR throughput [--threads N] [--seconds S]
if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.WriteLine("usage: OnnxDeployment MODEL_DIR [first | throughput [--threads N] [--seconds S]]");
    return args.Length == 0 ? 2 : 0;
}
var (threads, seconds) = Throughput.Options(args);
using var vae = new OnnxVae(args[0], threads);
var mode = args.Length > 1 ? args[1] : "demo";
if (vae.InputSize != IdxImages.Pixels)
{
    Console.Error.WriteLine($"{args[0]}: the encoder takes x of width {vae.InputSize}; this sample feeds 28x28 Fashion-MNIST images ({IdxImages.Pixels} values).");
    return 2;
}
var images = IdxImages.Binarize(IdxImages.Read(IdxImages.BundledTestFile, 256));

switch (mode)
{
    case "first":
    {
        var (mu, _) = vae.Encode(images[..vae.InputSize], 1);
        Console.WriteLine("first code: " + string.Join(" ", mu.Take(4).Select(v => v.ToString("F3", CultureInfo.InvariantCulture))) + " ...");
        return 0;
    }
    case "throughput":
    {
        var batches = IdxImages.Batches(images);
        // eps = 0 for each batch size, made before the clock starts: the timed loop does only the scoring.
        var zeros = Throughput.Batches.ToDictionary(batch => batch, batch => new float[batch * vae.LatentSize]);
        Throughput.Measure("encode", batch => vae.Encode(batches[batch], batch), seconds);
        Throughput.Measure("score", batch => vae.NegativeElbo(batches[batch], zeros[batch], batch), seconds);
        return 0;
    }
    case "demo":
        break;
    default:
        Console.Error.WriteLine($"unknown mode '{mode}' (argument 2): expected first or throughput, or nothing for the demo.");
        return 2;
}

const int Shown = 8;
Console.WriteLine($"{vae.Metadata["vaegen.model"]} from {System.IO.Path.GetFullPath(args[0])}: x [batch, {vae.InputSize}] -> z [batch, {vae.LatentSize}], ONNX Runtime, {threads} threads");
var x = images[..(Shown * vae.InputSize)];
var (code, _) = vae.Encode(x, Shown);
var reconstruction = vae.DecodeMean(code, Shown);
var atMean = vae.NegativeElbo(x, new float[Shown * vae.LatentSize], Shown);

// The -ELBO itself: the mean of the score over draws of eps ~ N(0, I) (Box-Muller from a seeded generator).
const int Draws = 64;
var random = new Random(1);
var elbo = new double[Shown];
for (var draw = 0; draw < Draws; draw++)
{
    var eps = new float[Shown * vae.LatentSize];
    for (var i = 0; i < eps.Length; i++) eps[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
    var scores = vae.NegativeElbo(x, eps, Shown);
    for (var i = 0; i < Shown; i++) elbo[i] += scores[i] / Draws;
}

Console.WriteLine("image  pixels reconstructed  -ELBO (nats, 64 draws)  score at eps = 0");
for (var i = 0; i < Shown; i++)
{
    var row = i * vae.InputSize;
    var agree = Enumerable.Range(row, vae.InputSize).Count(p => (reconstruction[p] > 0.5f ? 1 : 0) == x[p]);
    Console.WriteLine(FormattableString.Invariant($"{i,5}  {100.0 * agree / vae.InputSize,19:F1}%  {elbo[i],22:F1}  {atMean[i],16:F1}"));
}

// Anomaly detection: images unlike the training data score far higher.
var noise = new float[Shown * vae.InputSize];
for (var i = 0; i < noise.Length; i++) noise[i] = random.Next(2);
var noiseScores = vae.NegativeElbo(noise, new float[Shown * vae.LatentSize], Shown);
Console.WriteLine(FormattableString.Invariant($"score at eps = 0 of test images: mean {atMean.Average():F1} nats; of coin-flip noise: mean {noiseScores.Average():F1} nats"));
return 0;
