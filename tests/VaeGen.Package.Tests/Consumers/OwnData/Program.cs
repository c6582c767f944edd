// A user's program on data of their own. OwnDataConsumerTests builds it in a temporary folder that knows only the packed
// VaeGen and VaeGen.Visualization, ONNX Runtime and ML.NET's ONNX transformer, with the implicit usings `dotnet new
// console` turns on. It does what the README shows: a CSV file to anomaly scores with a standardized model, saved and
// loaded; a folder of PNG files to a trained image VAE, in memory and streamed from an example file; the tabular model
// exported to ONNX and run in ONNX Runtime and in an ML.NET pipeline. It prints one fact a line for the test to check.
// Arguments: the sensor CSV file, a CSV file with a bad cell, and the agreement tolerance's absolute and relative parts.
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using SkiaSharp;
using VaeGen;
using VaeGen.Anomaly;
using VaeGen.Data;
using VaeGen.Training;
using VaeGen.Visualization.Data;
using static TorchSharp.torch;

var (csvPath, badCsvPath) = (args[0], args[1]);
var (absolute, relative) = (double.Parse(args[2], CultureInfo.InvariantCulture), double.Parse(args[3], CultureInfo.InvariantCulture));

// A CSV file to anomaly scores: the label column marks the planted rows, for judging the scores only.
using var table = CsvData.Read(csvPath, new CsvOptions { LabelColumn = "state", Classes = ["normal", "planted"] });
Print($"csv {table.Count} rows, features {string.Join(" ", table.FeatureNames)}, classes {string.Join(" ", table.Classes)}");
var planted = table.Labels!.data<long>().Select(label => label == 1).ToArray();

using var sensors = new SensorVae();
var history = sensors.Fit(table.Features, new TrainingOptions { Epochs = 40, BatchSize = 32, LearningRate = 3e-3 });
Print($"sensors -ELBO first epoch {history.Epochs[0].TrainLoss:R} last epoch {history.Epochs[^1].TrainLoss:R}");

using var scoreGenerator = new Generator(11);
using var scores = sensors.AnomalyScores(table.Features, importanceSamples: 200, generator: scoreGenerator);
var threshold = AnomalyThreshold.FromScores(scores, quantile: 0.95);
using var flagged = threshold.IsAnomalous(scores);
var flags = flagged.data<bool>().ToArray();
var scoreValues = scores.to_type(ScalarType.Float64).data<double>().ToArray();
Print($"roc auc {AnomalyMetrics.RocAuc(scoreValues, planted):R}");
Print($"flagged planted {Count(flags, planted, true)} of {planted.Count(p => p)}, normal {Count(flags, planted, false)} of {planted.Count(p => !p)}, threshold {threshold.Value:R}");
Print($"median score normal {Median(scoreValues, planted, false):R} planted {Median(scoreValues, planted, true):R}");

sensors.Save("sensors.vaegen");
using var loaded = SensorVae.Load("sensors.vaegen");
using var loadedGenerator = new Generator(11);
using var loadedScores = loaded.AnomalyScores(table.Features, importanceSamples: 200, generator: loadedGenerator);
Print($"loaded model scores the same {loadedScores.equal(scores).all().item<bool>()}");

try
{
    using var bad = CsvData.Read(badCsvPath, new CsvOptions { LabelColumn = "state" });
    Print($"bad csv read");
}
catch (InvalidDataException e)
{
    Print($"bad csv refused: {e.Message}");
}

// The tabular model exported and run in ONNX Runtime, against the model on the same inputs.
var files = sensors.ExportOnnx("onnx");
Print($"onnx files {string.Join(" ", new[] { files.Encoder, files.Decoder, files.Score, files.Prior }.Select(Path.GetFileName))}");
using (no_grad())
{
    var x = table.Features;
    var (mu, logVar) = sensors.Encode(x);
    var encoded = RunOnnx(files.Encoder, [("x", x)], ["mu", "log_var"]);
    Agree("encoder mu", encoded[0], mu);
    Agree("encoder log_var", encoded[1], logVar);

    using var draws = new Generator(13);
    var z = randn([x.shape[0], SensorVae.LatentSize], generator: draws).mul_(1.5);
    var (scaledMean, observationLogVar) = sensors.DecodeWithLogVar(z);
    var decoded = RunOnnx(files.Decoder, [("z", z)], ["scaled_mean", "log_var", "mean"]);
    Agree("decoder scaled_mean", decoded[0], scaledMean);
    Agree("decoder log_var", decoded[1], observationLogVar);
    Agree("decoder mean", decoded[2], sensors.DecodeMean(z));

    // score.onnx is the negated log importance weight at z = mu + exp(log_var / 2) eps; at eps = 0, the deterministic score.
    var eps = randn([x.shape[0], SensorVae.LatentSize], generator: draws);
    Agree("score negative_elbo", RunOnnx(files.Score, [("x", x), ("eps", eps)], ["negative_elbo"])[0],
        sensors.LogImportanceWeights(x, mu, logVar, eps.unsqueeze(0))[0].neg());
    var zero = zeros_like(eps);
    Agree("score negative_elbo at eps 0", RunOnnx(files.Score, [("x", x), ("eps", zero)], ["negative_elbo"])[0],
        sensors.LogImportanceWeights(x, mu, logVar, zero.unsqueeze(0))[0].neg());

    // The encoder in an ML.NET pipeline, as the README's snippet writes it: a latent column beside the readings.
    var ml = new MLContext(seed: 1);
    var rows = x.data<float>().ToArray().Chunk(SensorVae.InputSize).Select((readings, i) => new SensorRow { Id = i, Readings = readings });
    var data = ml.Data.LoadFromEnumerable(rows);
    var pipeline = ml.Transforms.CopyColumns("x", nameof(SensorRow.Readings))
        .Append(ml.Transforms.ApplyOnnxModel(["mu"], ["x"], files.Encoder))
        .Append(ml.Transforms.CopyColumns("LatentFeatures", "mu"));
    var withLatents = pipeline.Fit(data).Transform(data);
    Print($"ml.net ids in order {withLatents.GetColumn<int>(nameof(SensorRow.Id)).SequenceEqual(Enumerable.Range(0, (int)x.shape[0]))}");
    Agree("ml.net LatentFeatures", withLatents.GetColumn<float[]>("LatentFeatures").SelectMany(row => row).ToArray(), mu);
}

// A folder of PNG files, written here with SkiaSharp: coloured squares on a dark ground, one per file.
var shapes = new Random(5);
Directory.CreateDirectory("icons");
for (var i = 0; i < 48; i++)
    WritePng($"icons/icon{i:D2}.png", 16, 16, shapes);
using var icons = ImageFolder.Load("icons", IconVae.ImageChannels, IconVae.ImageHeight, IconVae.ImageWidth);
Print($"images {icons.Count} of {icons.Channels}x{icons.Height}x{icons.Width}, values {icons.Images.min().item<float>():R} to {icons.Images.max().item<float>():R}");

using var iconModel = new IconVae();
var iconsBefore = Loss(iconModel, icons.Images);
iconModel.Fit(icons.Images, new TrainingOptions { Epochs = 15, BatchSize = 16, LearningRate = 3e-3 });
Print($"icons in memory -ELBO before {iconsBefore:R} after {Loss(iconModel, icons.Images):R}");

// The same images streamed from an example file, as data larger than memory would be.
var exampleFile = ExampleFile.Write("icons.bin", icons.Images);
using var streamedModel = new IconVae();
var streamedBefore = Loss(streamedModel, icons.Images);
streamedModel.Fit(ExampleFile.Open("icons.bin", IconVae.InputSize), new TrainingOptions { Epochs = 15, BatchSize = 16, LearningRate = 3e-3 });
Print($"icons streamed {exampleFile.Count} examples -ELBO before {streamedBefore:R} after {Loss(streamedModel, icons.Images):R}");
using (var fromTensor = new Generator(3))
using (var fromFile = new Generator(3))
    Print($"streamed evaluation equals in-memory {streamedModel.Evaluate(exampleFile, generator: fromFile) == streamedModel.Evaluate(icons.Images, generator: fromTensor)}");

// One image of another size among them is refused, naming the file.
Directory.CreateDirectory("icons-mixed");
for (var i = 0; i < 3; i++) File.Copy($"icons/icon{i:D2}.png", $"icons-mixed/icon{i:D2}.png", overwrite: true);
WritePng("icons-mixed/large.png", 20, 20, shapes);
try
{
    using var mixed = ImageFolder.Load("icons-mixed", IconVae.ImageChannels, IconVae.ImageHeight, IconVae.ImageWidth);
    Print($"mixed folder read");
}
catch (InvalidDataException e)
{
    Print($"mixed folder refused: {e.Message}");
}

static void Print(FormattableString line) => Console.WriteLine(FormattableString.Invariant(line));

static int Count(bool[] flags, bool[] planted, bool which) => flags.Where((flag, i) => flag && planted[i] == which).Count();

static double Median(double[] scores, bool[] planted, bool which)
{
    var chosen = scores.Where((_, i) => planted[i] == which).Order().ToArray();
    return chosen.Length % 2 == 1 ? chosen[chosen.Length / 2] : (chosen[chosen.Length / 2 - 1] + chosen[chosen.Length / 2]) / 2;
}

// -ELBO over the images with a seeded draw of z, so two models' figures are comparable.
static double Loss(IconVae model, Tensor images)
{
    using var generator = new Generator(7);
    return model.Evaluate(images, generator: generator).Loss;
}

static float[][] RunOnnx(string file, (string Name, Tensor Value)[] inputs, string[] outputs)
{
    using var session = new InferenceSession(file);
    using var options = new RunOptions();
    var values = inputs.Select(input => OrtValue.CreateTensorValueFromMemory(input.Value.contiguous().data<float>().ToArray(), input.Value.shape)).ToArray();
    try
    {
        using var results = session.Run(options, inputs.Select(input => input.Name).ToArray(), values, outputs);
        return results.Select(result => result.GetTensorDataAsSpan<float>().ToArray()).ToArray();
    }
    finally
    {
        foreach (var value in values) value.Dispose();
    }
}

// |onnx - torch| <= absolute + relative |torch| for every value: prints the largest difference and the largest share of the tolerance.
void Agree(string what, float[] onnx, Tensor expected)
{
    var reference = expected.contiguous().data<float>().ToArray();
    if (onnx.Length != reference.Length)
    {
        Print($"agree {what}: {onnx.Length} values from ONNX, {reference.Length} from the model");
        return;
    }
    double largest = 0, share = 0;
    for (var i = 0; i < onnx.Length; i++)
    {
        var difference = Math.Abs((double)onnx[i] - reference[i]);
        if (double.IsNaN(difference)) difference = double.PositiveInfinity;
        largest = Math.Max(largest, difference);
        share = Math.Max(share, difference / (absolute + relative * Math.Abs(reference[i])));
    }
    Print($"agree {what}: {onnx.Length} values, largest difference {largest:E2}, share of tolerance {share:R}");
}

static void WritePng(string path, int width, int height, Random random)
{
    using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
    using var canvas = new SKCanvas(bitmap);
    canvas.Clear(new SKColor(20, 24, 32));
    using var paint = new SKPaint { Color = new SKColor((byte)random.Next(96, 256), (byte)random.Next(96, 256), (byte)random.Next(96, 256)) };
    var side = random.Next(4, 9);
    canvas.DrawRect(random.Next(0, width - side), random.Next(0, height - side), side, side, paint);
    using var png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
    File.WriteAllBytes(path, png.ToArray());
}

/// <summary>Six sensor readings in units of their own: scaled to unit spread inside the model, scored in raw units.</summary>
[Vae(6, 2, Likelihood = Likelihood.GaussianLearnedVariance, Scaling = FeatureScaling.Standardize)]
[Encoder(32, Activation = Activation.Tanh)] [Decoder(32, Activation = Activation.Tanh)]
public partial class SensorVae;

/// <summary>16x16 RGB icons: one strided convolution each way around a small dense core.</summary>
[Vae(8, Likelihood = Likelihood.ContinuousBernoulli)] [ImageInput(3, 16, 16)]
[EncoderConv(16, 4, 2, 1)] [Encoder(64)] [Decoder(64)] [DecoderConvTranspose(3, 4, 2, 1)]
public partial class IconVae;

/// <summary>A row as an application holds it: an id and the readings the encoder reads.</summary>
public sealed class SensorRow
{
    /// <summary>The row's position in the file.</summary>
    public int Id { get; set; }

    /// <summary>The six readings.</summary>
    [VectorType(SensorVae.InputSize)]
    public float[] Readings { get; set; } = [];
}
