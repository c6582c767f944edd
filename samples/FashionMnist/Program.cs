using System;
using System.CommandLine;
using System.Linq;
using FashionMnistSample;

// The command line; TrainingRun does the work.
var model = new Option<ModelKind>("--model") { Description = "mlp: 784-400-z, conv: a convolutional VAE (z = 20), conditional: 784-400-20 given the class label; 784-400-20 with a mixture prior (mixture), the VampPrior (vamp), a planar flow (planar), an inverse autoregressive flow (iaf), or trained on the IWAE bound with k = 5 (iwae) or k = 50 (iwae50).", DefaultValueFactory = _ => ModelKind.Mlp };
var epochs = new Option<int>("--epochs") { Description = "Training epochs.", DefaultValueFactory = _ => 10 };
var latent = new Option<int>("--latent") { Description = $"Latent dimensions: {string.Join(", ", Models.LatentSizes)} for mlp; 20 for the other models.", DefaultValueFactory = _ => 20 };
var output = new Option<string?>("--output")
{
    Description = $"Folder for pictures, metrics.json, the model and the checkpoint (default: {string.Join(", ", Enum.GetValues<ModelKind>().Select(kind => $"{Models.DefaultOutput(kind)} for {Name(kind)}"))}).",
};
var data = new Option<string?>("--data") { Description = "Folder with the Fashion-MNIST IDX files (default: Debian's dataset-fashion-mnist, else the bundled subset)." };
var seed = new Option<long>("--seed") { Description = "Seed for initialization, shuffling, noise and binarization.", DefaultValueFactory = _ => 1 };
var resume = new Option<bool>("--resume") { Description = "Continue from the checkpoint in the output folder; without it a run starts over and replaces that checkpoint." };
var protocol = new Option<Protocol>("--protocol") { Description = "binarized: dynamic binarization, true likelihood bounds; grayscale: grey levels as targets, as pytorch/examples.", DefaultValueFactory = _ => Protocol.Binarized };
var batchSize = new Option<int>("--batch-size") { Description = "Examples per optimizer step.", DefaultValueFactory = _ => 128 };
var learningRate = new Option<double>("--lr") { Description = "Adam's learning rate.", DefaultValueFactory = _ => 1e-3 };
var threads = new Option<int>("--threads") { Description = "TorchSharp threads (default: one per core).", DefaultValueFactory = _ => Environment.ProcessorCount };
var importanceSamples = new Option<int>("--iw-samples") { Description = "k for the importance-weighted log-likelihood on the test set; 0 skips it.", DefaultValueFactory = _ => 1000 };
var importanceExamples = new Option<int>("--iw-examples") { Description = "Test examples the importance-weighted estimate covers.", DefaultValueFactory = _ => 10_000 };
var tensorBoard = new Option<string?>("--tensorboard") { Description = "Folder for TensorBoard event files: loss terms, epoch figures, KL per latent dimension, and each epoch's sample and reconstruction grids for the conv model (view with tensorboard --logdir)." };

RequireAtLeast(epochs, 1);
RequireAtLeast(batchSize, 1);
RequireAtLeast(threads, 1);
RequireAtLeast(importanceSamples, 0);
RequireAtLeast(importanceExamples, 1);
// The latent sizes on offer depend on the model, so --latent is checked against --model.
latent.Validators.Add(result =>
{
    if (!TryRead(() => result.GetValueOrDefault<int>(), out var size) || !TryRead(() => result.GetValue(model), out var kind)) return;
    if (!Models.IsDeclared(kind, size))
        result.AddError($"--latent {size} has no declared {Name(kind)} model; choose {string.Join(", ", Models.LatentSizesOf(kind))}.");
});
learningRate.Validators.Add(result =>
{
    if (!TryRead(() => result.GetValueOrDefault<double>(), out var value)) return;
    if (!(value > 0) || double.IsInfinity(value)) result.AddError($"--lr must be positive and finite, not {value}.");
});

var root = new RootCommand("Trains a VaeGen-generated VAE (784-400-z by default, Bernoulli) on Fashion-MNIST and writes pictures, metrics and a checkpoint.")
{
    model, epochs, latent, output, data, seed, resume, protocol, batchSize, learningRate, threads, importanceSamples, importanceExamples, tensorBoard,
};
root.SetAction(parsed => TrainingRun.Execute(new SampleSettings(
    parsed.GetValue(model),
    parsed.GetValue(epochs),
    parsed.GetValue(latent),
    parsed.GetValue(output) ?? Models.DefaultOutput(parsed.GetValue(model)),
    parsed.GetValue(data),
    parsed.GetValue(seed),
    parsed.GetValue(resume),
    parsed.GetValue(protocol),
    parsed.GetValue(batchSize),
    parsed.GetValue(learningRate),
    parsed.GetValue(threads),
    parsed.GetValue(importanceSamples),
    parsed.GetValue(importanceExamples),
    parsed.GetValue(tensorBoard))));
return root.Parse(args).Invoke();

static string Name(ModelKind kind) => kind.ToString().ToLowerInvariant();

static void RequireAtLeast(Option<int> option, int minimum) => option.Validators.Add(result =>
{
    if (!TryRead(() => result.GetValueOrDefault<int>(), out var value)) return;
    if (value < minimum) result.AddError($"{option.Name} must be at least {minimum}, not {value}.");
});

// Validators run even on values that did not parse, and reading such a value throws; the parser reports it on its own.
static bool TryRead<T>(Func<T> read, out T value)
{
    try
    {
        value = read();
        return true;
    }
    catch (InvalidOperationException)
    {
        value = default!;
        return false;
    }
}
