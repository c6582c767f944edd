using System;
using System.Globalization;
using System.IO;
using System.Linq;
using OnnxDeployment;
using TorchSharp;
using VaeGen.Training;
using static TorchSharp.torch;

// The TorchSharp side of the deployment sample.
//   OnnxDeployment.TorchSharp export MODEL_DIR [--epochs E]   train on the bundled subset, write model.dat and the ONNX files
//   OnnxDeployment.TorchSharp first MODEL_DIR                 start-up: load model.dat, encode one image, print its code, exit
//   OnnxDeployment.TorchSharp throughput MODEL_DIR [--threads N] [--seconds S]
if (args.Length < 2 || args[0] is not ("export" or "first" or "throughput"))
{
    Console.Error.WriteLine("usage: OnnxDeployment.TorchSharp export|first|throughput MODEL_DIR [--epochs E] [--threads N] [--seconds S]");
    return 2;
}
var (mode, directory) = (args[0], args[1]);
var (threads, seconds) = Throughput.Options(args);
torch.set_num_threads(threads);
var weights = Path.Combine(directory, "model.dat");
var testImages = IdxImages.Binarize(IdxImages.Read(IdxImages.BundledTestFile, 256));
using var vae = new FashionVae();

if (mode == "export")
{
    var epochs = 10;
    var at = Array.IndexOf(args, "--epochs");
    if (at >= 0 && (at + 1 >= args.Length || !int.TryParse(args[at + 1], NumberStyles.None, CultureInfo.InvariantCulture, out epochs) || epochs < 1))
        throw new ArgumentException($"--epochs takes a positive whole number; got '{(at + 1 < args.Length ? args[at + 1] : "")}'.", nameof(args));
    manual_seed(1);
    var train = IdxImages.Binarize(IdxImages.Read(Path.Combine(AppContext.BaseDirectory, "data", "train-images-idx3-ubyte.gz"), 2000));
    using var data = tensor(train, new long[] { 2000, IdxImages.Pixels });
    var history = vae.Fit(data, new TrainingOptions { Epochs = epochs, Seed = 1 });
    Directory.CreateDirectory(directory);
    vae.save(weights);
    var files = vae.ExportOnnx(directory);
    using var test = tensor(testImages, new long[] { 256, IdxImages.Pixels });
    Console.WriteLine(FormattableString.Invariant(
        $"trained {epochs} epochs on the bundled 2,000 images (binarized at 0.5), test -ELBO {vae.Evaluate(test).Loss:F1} nats on 256 test images"));
    Console.WriteLine($"wrote {weights}, {files.Encoder}, {files.Decoder}, {files.Score}, {files.Prior}");
    return 0;
}

vae.load(weights);
vae.eval();
using var noGrad = no_grad();
if (mode == "first")
{
    using var scope = NewDisposeScope();
    var (mu, _) = vae.Encode(tensor(testImages[..IdxImages.Pixels], new long[] { 1, IdxImages.Pixels }));
    Console.WriteLine("first code: " + string.Join(" ", mu.data<float>().ToArray().Take(4).Select(v => v.ToString("F3", CultureInfo.InvariantCulture))) + " ...");
    return 0;
}

// From managed rows to managed rows, as OnnxDeployment does: copy in, run, copy out.
var batches = IdxImages.Batches(testImages);
// eps = 0 for each batch size, made before the clock starts, as the ONNX sample's are.
var zeroNoise = Throughput.Batches.ToDictionary(batch => batch, batch => zeros(1, batch, FashionVae.LatentSize));
Throughput.Measure("encode", batch =>
{
    using var scope = NewDisposeScope();
    var (mu, logVar) = vae.Encode(tensor(batches[batch], new long[] { batch, IdxImages.Pixels }));
    _ = mu.data<float>().ToArray();
    _ = logVar.data<float>().ToArray();
}, seconds);
Throughput.Measure("score", batch =>
{
    using var scope = NewDisposeScope();
    var x = tensor(batches[batch], new long[] { batch, IdxImages.Pixels });
    var (mu, logVar) = vae.Encode(x);
    // What score.onnx computes: the negated log importance weight at eps = 0, the score at the posterior mean.
    _ = vae.LogImportanceWeights(x, mu, logVar, zeroNoise[batch]).neg().data<float>().ToArray();
}, seconds);
return 0;
