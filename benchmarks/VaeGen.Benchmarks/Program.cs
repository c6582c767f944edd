using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using SampleData;
using TorchSharp;
using VaeGen;
using VaeGen.Benchmarks;
using VaeGen.Training;
using static TorchSharp.torch;

// One-epoch training time of the generated Fit against a hand-written TorchSharp loop of the same maths, on
// Fashion-MNIST (dynamic binarization, batch 128, Adam 1e-3). Each round trains a fresh model of each kind for one
// epoch, alternating which goes first; the first round warms up and is not counted. Prints the medians and the ratio.
// `step [rounds] [threads] [examples]` instead measures the step's share of the matrix-product rate (StepShare.cs), on
// the first `examples` training images (all by default); `drift [epochs] [threads] [general] [alongside]` (the words in
// any order) follows the epoch time and memory over a long run (Drift.cs); `eval [rounds] [threads] [examples] [k]`
// measures the importance-weighted evaluation's share of the rate of its own matrix products (EvaluationShare.cs);
// `likelihood [rounds]` times the Bernoulli likelihood's C# passes against the forms they replaced
// (LikelihoodPasses.cs); `conv [rounds] [threads] [examples]` the convolutional model's training epoch against the
// large-GEMM rate (ConvShare.cs); `convsteps [steps] [threads]` the convolutional model's step with channels-last and
// channels-first maps, step by step (ConvSteps.cs); `firststep [rounds] [threads]` the first training step of fresh
// processes against their later steps (FirstStep.cs).
var mode = args.Length > 0 && args[0] is "step" or "drift" or "eval" or "likelihood" or "conv" or "convsteps" or "firststep" or FirstStep.ProcessWord ? args[0] : "fit";
if (mode != "fit") args = args[1..];
// drift's words (general, alongside) may stand anywhere after its numbers; anything else is refused before the data load.
var words = mode == "drift" ? args.Where(arg => !int.TryParse(arg, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)).ToList() : [];
if (words.FirstOrDefault(word => word is not ("general" or "alongside")) is { } unknown)
    throw new ArgumentException($"drift takes [epochs] [threads] and the words general and alongside, in any order; it was given '{unknown}'.", nameof(args));
args = args.Where(arg => !words.Contains(arg)).ToArray();
var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 6;
var threads = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : Environment.ProcessorCount;
if (mode == "firststep")
{
    // The parent only starts the rounds' processes; each loads the data itself, as a user's program would.
    FirstStep.Run(rounds, threads);
    return;
}
set_num_threads(threads);
using var data = FashionMnist.Load(null, null);
if (mode == FirstStep.ProcessWord)
{
    FirstStep.RunOnce(data.Train.Images);
    return;
}
Console.WriteLine($"{data.Description}; {threads} threads{(mode is "drift" or "convsteps" ? string.Empty : $"; {rounds} counted rounds after 1 warm-up")}");
if (mode == "drift")
{
    Drift.Run(data.Train.Images, rounds, fused: !words.Contains("general"), alongside: words.Contains("alongside"));
    return;
}
if (mode == "convsteps")
{
    ConvSteps.Run(data.Train.Images, rounds);
    return;
}
if (mode == "likelihood")
{
    LikelihoodPasses.Run(rounds);
    return;
}
if (mode == "eval")
{
    var examples = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1000;
    var samples = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 1000;
    EvaluationShare.Run(data.Test.Images, rounds, examples, samples);
    return;
}
if (mode == "conv")
{
    var examples = args.Length > 2 ? long.Parse(args[2], CultureInfo.InvariantCulture) : 12_800;
    ConvShare.Run(data.Train.Images, rounds, examples);
    return;
}
if (mode == "step")
{
    var examples = args.Length > 2 ? long.Parse(args[2], CultureInfo.InvariantCulture) : data.Train.Count;
    using var images = data.Train.Images.narrow(0, 0, examples);
    StepShare.Run(images, rounds, threads);
    return;
}

double Generated(int round)
{
    manual_seed(round);
    using var model = new BenchmarkVae();
    var clock = Stopwatch.StartNew();
    model.Fit(data.Train.Images, new TrainingOptions { Epochs = 1, BatchSize = 128, Seed = round, DynamicBinarization = true });
    return clock.Elapsed.TotalSeconds;
}

double HandWritten(int round)
{
    manual_seed(round);
    using var model = new HandWrittenVae();
    var optimizer = optim.Adam(model.parameters(), 1e-3);
    var clock = Stopwatch.StartNew();
    HandWrittenVae.TrainEpoch(model, optimizer, data.Train.Images, 128);
    return clock.Elapsed.TotalSeconds;
}

var generated = new double[rounds];
var handWritten = new double[rounds];
for (var round = 0; round <= rounds; round++)
{
    double g, h;
    if (round % 2 == 0) { g = Generated(round); h = HandWritten(round); }
    else { h = HandWritten(round); g = Generated(round); }
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round}{(round == 0 ? " (warm-up)" : string.Empty)}: generated Fit {g:F3} s, hand-written {h:F3} s"));
    if (round == 0) continue;
    generated[round - 1] = g;
    handWritten[round - 1] = h;
}

var ratio = StepShare.Median(generated) / StepShare.Median(handWritten);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"median epoch: generated Fit {StepShare.Median(generated):F3} s, hand-written {StepShare.Median(handWritten):F3} s; ratio {ratio:F3} ({(ratio - 1) * 100:+0.0;-0.0;0.0}%)"));

namespace VaeGen.Benchmarks
{
    /// <summary>The sample's model, generated.</summary>
    [Vae(784, 20)] [Encoder(400)] [Decoder(400)]
    public partial class BenchmarkVae
    {
        /// <summary>The compiled step the generated Fit makes for this model and session (through the same factory), for the instrumented epoch.</summary>
        public VaeGen.Training.DenseBernoulliStep CompiledStep(VaeGen.Training.TrainingSession session) =>
            VaeGen.Training.DenseBernoulliStep.For(session,
                [new((TorchSharp.Modules.Linear)encoder[0], Activation.ReLU)], encoderMu, encoderLogVar,
                [new((TorchSharp.Modules.Linear)decoder[0], Activation.ReLU)], decoderLogits)
            ?? throw new System.InvalidOperationException("The compiled step refused the benchmark's model.");
    }
}
