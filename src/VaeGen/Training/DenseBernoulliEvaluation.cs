using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using VaeGen.Maths;
using static TorchSharp.torch;
using static VaeGen.Maths.CpuSpans;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace VaeGen.Training;

/// <summary>
/// The log importance weights of a dense Bernoulli decoder with the Gaussian posterior and the N(0, I) prior, without
/// autograd's general machinery. The generated <c>LogLikelihood</c> of a covered model uses it for every chunk of
/// importance samples; the general path (the model's own <c>LogImportanceWeights</c>) writes a fresh output tensor per
/// layer and makes a libtorch pass per operation.
/// </summary>
/// <remarks>
/// On x86 with AVX2 and FMA (<see cref="PackedProducts.Available"/>) the whole decoder runs in C#, a few dozen samples
/// at a time on two threads (<see cref="SecondThread"/>): each layer's product in register tiles
/// (<see cref="PackedProducts"/>) with its bias added as a tile leaves the registers, its activation, and for the
/// logits the Bernoulli rows' pass (<see cref="BernoulliRows"/>) over a unit's logits while they are in the core's
/// cache: a chunk's logits are never written to memory as a whole. Elsewhere libtorch writes each layer's
/// product into a buffer kept for the evaluation, and C# adds the bias, applies the activation and scores the logits
/// row by row (<see cref="BernoulliRows"/>). Both add log p(z) - log q(z|x) per sample.
/// </remarks>
/// <remarks>Generated models call this; it is public for them, and hidden from IntelliSense because user code has no need of it.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class DenseBernoulliEvaluation : IDisposable
{
    private readonly DenseBernoulliStep.Layer[] decoder;
    private readonly Linear logits;
    private readonly long latentSize;
    private readonly long inputSize;
    private readonly long widest; // the most values one sample holds in a buffer: z, a layer's output or the logits
    private readonly List<Tensor> buffers = new();
    private Tensor? z;
    private Tensor[] hidden = Array.Empty<Tensor>();
    private Tensor? output;
    private long capacity;
    private readonly Packed? packed;
    private float[] zValues = Array.Empty<float>();

    /// <summary>Chunks this thread has scored through any instance, so that a test can see its own call took this path.</summary>
    [ThreadStatic]
    internal static long ChunksScored;

    private DenseBernoulliEvaluation(DenseBernoulliStep.Layer[] decoder, Linear logits)
    {
        this.decoder = decoder;
        this.logits = logits;
        latentSize = DenseBernoulliStep.In(decoder.Length > 0 ? decoder[0].Linear : logits);
        inputSize = DenseBernoulliStep.Out(logits);
        widest = decoder.Select(l => DenseBernoulliStep.Out(l.Linear)).Append(inputSize).Append(latentSize).Max();
        if (PackedProducts.Available) packed = new Packed(decoder, logits);
    }

    /// <summary>Whether the decoder runs in C# tiles (<see cref="PackedProducts"/>); tests turn it off to check the libtorch-product path on any processor.</summary>
    internal bool UsesPackedProducts { get; set; } = PackedProducts.Available;

    /// <summary>
    /// The evaluation for these decoder layers, or null when the general path must score them: a parameter that is not
    /// float32 on the CPU, a layer without a bias, or an activation the compiled step does not apply. Where the decoder
    /// runs in C# tiles, the weights are packed here, once: make a new evaluation after the parameters change (the
    /// generated <c>LogLikelihood</c> makes one per call).
    /// </summary>
    /// <param name="decoder">The decoder's hidden layers, in order (none: the logits layer reads z).</param>
    /// <param name="logits">The layer from the decoder's last hidden layer to the Bernoulli logits.</param>
    /// <exception cref="ArgumentException">The layers do not chain.</exception>
    public static DenseBernoulliEvaluation? For(IReadOnlyList<DenseBernoulliStep.Layer> decoder, Linear logits)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        ArgumentNullException.ThrowIfNull(logits);
        var layers = decoder.ToArray();
        foreach (var linear in layers.Select(l => l.Linear).Append(logits))
        {
            if (linear.weight is null || linear.bias is null) return null;
            foreach (var parameter in new[] { linear.weight, linear.bias })
                if (parameter.dtype != ScalarType.Float32 || parameter.device_type != DeviceType.CPU) return null;
        }
        if (layers.Any(l => DenseBernoulliStep.UnsupportedActivation(l.Activation) is not null)) return null;
        DenseBernoulliStep.Chain(layers, nameof(decoder));
        var decoded = layers.Length > 0 ? DenseBernoulliStep.Out(layers[^1].Linear) : DenseBernoulliStep.In(logits);
        if (DenseBernoulliStep.In(logits) != decoded)
            throw new ArgumentException($"The logits layer takes {DenseBernoulliStep.In(logits)} features, but the decoder gives {decoded}.", nameof(logits));
        return new DenseBernoulliEvaluation(layers, logits);
    }

    /// <summary>
    /// log p(x|z) + log p(z) - log q(z|x) at z = mu + exp(logVar / 2) eps, for each sample and example: the same values
    /// as the model's <c>LogImportanceWeights</c> to float rounding (tested).
    /// </summary>
    /// <param name="x">The batch, [batch, input] float32 on the CPU.</param>
    /// <param name="mu">The posterior means, [batch, latent].</param>
    /// <param name="logVar">The posterior log-variances, [batch, latent].</param>
    /// <param name="eps">Standard normal noise, [samples, batch, latent].</param>
    /// <returns>[samples, batch].</returns>
    /// <exception cref="ArgumentException">A tensor's shape, dtype or device does not fit, or one example's samples alone would overfill a buffer (2^27 values).</exception>
    public Tensor LogImportanceWeights(Tensor x, Tensor mu, Tensor logVar, Tensor eps)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(mu);
        ArgumentNullException.ThrowIfNull(logVar);
        ArgumentNullException.ThrowIfNull(eps);
        var batch = x.dim() == 2 ? x.shape[0] : -1;
        Require(x, nameof(x), batch, inputSize);
        Require(mu, nameof(mu), batch, latentSize);
        Require(logVar, nameof(logVar), batch, latentSize);
        Require(eps, nameof(eps), -1, batch, latentSize);
        var samples = eps.shape[0];
        var rows = samples * batch;
        if (rows == 0) return empty(samples, batch, dtype: ScalarType.Float32);
        if (rows * widest > BufferLimit)
        {
            if (samples * widest > BufferLimit)
                throw new ArgumentException($"One example's {samples} importance samples would need {samples * widest:N0} values in one buffer, more than {BufferLimit:N0}; draw fewer samples at once.", nameof(eps));
            return InParts(x, mu, logVar, eps, BufferLimit / (samples * widest));
        }
        using var scope = NewDisposeScope();
        var targets = x.contiguous();
        var result = empty(samples, batch, dtype: ScalarType.Float32);
        var logPriorOverPosterior = new float[rows];
        if (UsesPackedProducts && packed is not null)
        {
            packed.Prepare();
            if (zValues.Length < rows * latentSize) zValues = new float[rows * latentSize];
            Reparameterize(mu.contiguous(), logVar.contiguous(), eps.contiguous(), zValues.AsSpan(0, (int)(rows * latentSize)), logPriorOverPosterior);
            packed.Score(zValues, targets, (int)batch, logPriorOverPosterior);
            logPriorOverPosterior.AsSpan().CopyTo(Floats(result));
            ChunksScored++;
            return result.MoveToOuterDisposeScope();
        }

        Reserve(rows);
        var zRows = z!.narrow(0, 0, rows);
        Reparameterize(mu.contiguous(), logVar.contiguous(), eps.contiguous(), Floats(zRows), logPriorOverPosterior);

        var transposedWeights = decoder.Select(layer => layer.Linear.weight!.t()).ToArray();
        var input = DenseBernoulliStep.Stack(zRows, decoder, hidden.Select(h => h.narrow(0, 0, rows)).ToArray(), transposedWeights);
        var outputRows = output!.narrow(0, 0, rows);
        outputRows.addmm_(input, logits.weight!.t(), 0f, 1f);
        var sums = result.view(rows);
        BernoulliRows.ScoreInto(targets, outputRows.view(samples, batch, inputSize), sums, logits.bias);
        var weights = Floats(sums);
        for (var row = 0; row < weights.Length; row++) weights[row] += logPriorOverPosterior[row];
        ChunksScored++;
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The most values one buffer may hold: its elements are read as one span, whose length is an int (2 GB of floats;
    /// a quarter of that here, so that a chunk never comes near it).
    /// </summary>
    internal const long MaximumElements = 1L << 27;

    /// <summary>The buffer limit this instance keeps to: <see cref="MaximumElements"/>, lower in tests of the split.</summary>
    internal long BufferLimit { get; set; } = MaximumElements;

    /// <summary>A batch too large for one set of buffers, scored <paramref name="examples"/> examples at a time.</summary>
    private Tensor InParts(Tensor x, Tensor mu, Tensor logVar, Tensor eps, long examples)
    {
        using var scope = NewDisposeScope();
        var batch = x.shape[0];
        var parts = new List<Tensor>();
        for (var first = 0L; first < batch; first += examples)
        {
            var count = Math.Min(examples, batch - first);
            parts.Add(LogImportanceWeights(x.narrow(0, first, count), mu.narrow(0, first, count), logVar.narrow(0, first, count), eps.narrow(1, first, count)));
        }
        return cat(parts, 1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// z = mu + exp(logVar / 2) eps into <paramref name="zs"/> (row-major, one row per sample and example), and per row log N(z; 0, I) - log N(z; mu, exp(logVar)) =
    /// (sum_j eps_j^2 - z_j^2 + logVar_j) / 2 (the 2 pi terms cancel; log q taken from eps directly, as the general path
    /// does). The standard deviations and the sums of logVar are taken once per example, not once per sample.
    /// </summary>
    private void Reparameterize(Tensor mu, Tensor logVar, Tensor eps, Span<float> zs, float[] logPriorOverPosterior)
    {
        ReadOnlySpan<float> means = Floats(mu);
        ReadOnlySpan<float> logVars = Floats(logVar);
        ReadOnlySpan<float> noise = Floats(eps);
        var latent = (int)latentSize;
        var batch = means.Length / latent;
        var deviations = new float[means.Length];
        TensorPrimitives.Multiply(logVars, 0.5f, deviations);
        TensorPrimitives.Exp(deviations, deviations);
        var logVarSums = new float[batch];
        for (var example = 0; example < batch; example++) logVarSums[example] = TensorPrimitives.Sum(logVars.Slice(example * latent, latent));
        for (var row = 0; row < logPriorOverPosterior.Length; row++)
        {
            var example = row % batch;
            var e = noise.Slice(row * latent, latent);
            var z = zs.Slice(row * latent, latent);
            TensorPrimitives.FusedMultiplyAdd(e, deviations.AsSpan(example * latent, latent), means.Slice(example * latent, latent), z);
            logPriorOverPosterior[row] = 0.5f * (TensorPrimitives.SumOfSquares(e) - TensorPrimitives.SumOfSquares(z) + logVarSums[example]);
        }
    }

    /// <summary>Buffers for at least <paramref name="rows"/> rows (samples x batch), kept for later chunks.</summary>
    private void Reserve(long rows)
    {
        if (rows <= capacity) return;
        DisposeBuffers();
        z = Own(empty(rows, latentSize, dtype: ScalarType.Float32));
        hidden = decoder.Select(l => Own(empty(rows, DenseBernoulliStep.Out(l.Linear), dtype: ScalarType.Float32))).ToArray();
        output = Own(empty(rows, inputSize, dtype: ScalarType.Float32));
        capacity = rows;
    }

    /// <summary>Keeps a buffer beyond any dispose scope open at the call that made it: it lives until this evaluation is disposed.</summary>
    private Tensor Own(Tensor tensor)
    {
        buffers.Add(tensor.DetachFromDisposeScope());
        return tensor;
    }

    private static void Require(Tensor tensor, string name, params long[] shape)
    {
        var fits = tensor.dim() == shape.Length && tensor.dtype == ScalarType.Float32 && tensor.device_type == DeviceType.CPU;
        for (var i = 0; fits && i < shape.Length; i++) fits = shape[i] < 0 ? tensor.shape[i] > 0 : tensor.shape[i] == shape[i];
        if (!fits)
            throw new ArgumentException(
                $"The compiled evaluation takes {name} as [{string.Join(", ", shape.Select(s => s < 0 ? "n" : s.ToString(System.Globalization.CultureInfo.InvariantCulture)))}] float32 on the CPU, but it is {Checks.ShapeText.Of(tensor.shape)} {tensor.dtype} on {tensor.device}.",
                name);
    }

    private void DisposeBuffers()
    {
        foreach (var buffer in buffers) buffer.Dispose();
        buffers.Clear();
        capacity = 0;
    }

    /// <summary>Frees the kept buffers.</summary>
    public void Dispose() => DisposeBuffers();

    /// <summary>
    /// The decoder in C# tiles: its weights packed once (<see cref="PackedProducts.PackWeight"/>), and a chunk's rows taken
    /// <see cref="UnitRows"/> at a time by this thread and the <see cref="SecondThread"/> in turn, each unit through every
    /// layer before the next, so that its activations stay in cache.
    /// </summary>
    private sealed class Packed
    {
        /// <summary>Rows a thread takes at a time: four blocks of <see cref="PackedProducts.TileRows"/>.</summary>
        private const int UnitRows = 4 * PackedProducts.TileRows;

        /// <summary>The right operand's panels one pass keeps in the core's cache while the unit's blocks go past them.</summary>
        private const int PanelBytes = 192 * 1024;

        private readonly float[][] weights; // packed; the logits' layer last
        private readonly float[][] biases;
        private readonly int[] inputs;
        private readonly int[] outputs;
        private readonly Activation[] activations;
        private readonly Scratch[] scratch;

        private int[] unitStarts = Array.Empty<int>(); // where each unit of the chunk being scored starts, and its end

        public Packed(DenseBernoulliStep.Layer[] decoder, Linear logits)
        {
            var layers = decoder.Select(l => l.Linear).Append(logits).ToArray();
            inputs = layers.Select(l => (int)DenseBernoulliStep.In(l)).ToArray();
            outputs = layers.Select(l => (int)DenseBernoulliStep.Out(l)).ToArray();
            weights = layers.Select((l, i) => PackedProducts.PackWeight(Floats(l.weight!.contiguous()), outputs[i], inputs[i])).ToArray();
            biases = layers.Select((l, i) => Padded(Floats(l.bias!), Scratch.Stride(outputs[i]))).ToArray();
            activations = decoder.Select(l => l.Activation).ToArray();
            var widest = inputs.Concat(outputs).Max();
            scratch = new[] { new Scratch(UnitRows, widest), new Scratch(UnitRows, widest) };
        }

        /// <summary>
        /// Adds each row's log p(x|z) to <paramref name="logWeights"/>: <paramref name="zs"/> holds one latent row per
        /// sample and example (sample-major), <paramref name="x"/> one target row per example.
        /// </summary>
        public void Score(float[] zs, Tensor x, int examples, float[] logWeights)
        {
            var units = Divide(logWeights.Length);
            SecondThread.Shared.For(units, (worker, unit) =>
            {
                var first = unitStarts[unit];
                ScoreUnit(first, unitStarts[unit + 1] - first, zs, Floats(x), examples, logWeights, scratch[worker]);
            }, share: SecondThread.Worthwhile());
        }

        /// <summary>
        /// Divides the chunk's rows into units, largest first (<see cref="UnitRows"/>), then smaller as the rows run out, down
        /// to one block of <see cref="PackedProducts.TileRows"/>: the thread that finishes first waits for the other
        /// for less than a small unit. Returns the number of units; unit u is rows [unitStarts[u], unitStarts[u + 1]).
        /// </summary>
        private int Divide(int count)
        {
            var blocks = PackedProducts.Blocks(count);
            if (unitStarts.Length < blocks + 1) unitStarts = new int[blocks + 1];
            var units = 0;
            for (var block = 0; block < blocks; units++)
            {
                unitStarts[units] = block * PackedProducts.TileRows;
                block += Math.Clamp((blocks - block + 7) / 8, 1, UnitRows / PackedProducts.TileRows);
            }
            unitStarts[units] = count;
            return units;
        }

        /// <summary>Readies the second thread, if this evaluation will ask for it, while the caller draws z.</summary>
        public void Prepare()
        {
            if (SecondThread.Worthwhile()) SecondThread.Shared.Wake();
        }

        /// <summary>
        /// Rows [<paramref name="first"/>, first + <paramref name="count"/>) through every layer: each hidden layer's product,
        /// activation and packing for the next, then the logits and each row's Bernoulli log-density, added to its log weight.
        /// </summary>
        private void ScoreUnit(int first, int count, float[] z, ReadOnlySpan<float> x, int batch, float[] logWeights, Scratch own)
        {
            var width = inputs[0];
            PackedProducts.PackRows(z.AsSpan(first * width, count * width), width, width, count, own.Left);
            for (var layer = 0; ; layer++)
            {
                width = outputs[layer];
                var stride = Scratch.Stride(width);
                Product(layer, count, own);
                if (layer == weights.Length - 1)
                {
                    for (var row = 0; row < count; row++)
                        logWeights[first + row] += BernoulliRows.Row(x.Slice((first + row) % batch * width, width), own.Output.AsSpan(row * stride, width));
                    return;
                }
                for (var row = 0; row < count; row++) DenseBernoulliStep.Activate(own.Output.AsSpan(row * stride, width), activations[layer]);
                PackedProducts.PackRows(own.Output, width, stride, count, own.Left);
            }
        }

        /// <summary>
        /// A layer's product for a unit's rows plus its bias, row-major into the scratch output, its rows padded to whole
        /// panels (<see cref="Scratch.Stride"/>): the unit's output, a few dozen rows, stays in the core's cache for what follows.
        /// </summary>
        private void Product(int layer, int count, Scratch own)
        {
            var depth = inputs[layer];
            var panels = PackedProducts.Panels(outputs[layer]);
            var stride = Scratch.Stride(outputs[layer]);
            var group = PanelsPerPass(depth);
            var blocks = PackedProducts.Blocks(count);
            for (var start = 0; start < panels; start += group)
            {
                for (var block = 0; block < blocks; block++)
                {
                    var left = own.Left.AsSpan(block * PackedProducts.TileRows * depth);
                    var output = own.Output.AsSpan(block * PackedProducts.TileRows * stride);
                    for (var panel = start; panel < Math.Min(panels, start + group); panel++)
                    {
                        var column = panel * PackedProducts.TileColumns;
                        PackedProducts.Tile(left, weights[layer].AsSpan(panel * depth * PackedProducts.TileColumns), depth, biases[layer].AsSpan(column), output[column..], stride);
                    }
                }
            }
        }

        private static int PanelsPerPass(int depth) => Math.Max(1, PanelBytes / (depth * PackedProducts.TileColumns * sizeof(float)));

        private static float[] Padded(ReadOnlySpan<float> values, int length)
        {
            var padded = new float[length];
            values.CopyTo(padded);
            return padded;
        }

        /// <summary>One thread's buffers for units of up to <paramref name="unitRows"/> rows: a unit's packed input and its layer's output.</summary>
        private sealed class Scratch(int unitRows, int widest)
        {
            public readonly float[] Left = new float[PackedProducts.Blocks(unitRows) * PackedProducts.TileRows * widest];
            public readonly float[] Output = new float[PackedProducts.Blocks(unitRows) * PackedProducts.TileRows * Stride(widest)];

            /// <summary>The values between rows of the output for a layer of <paramref name="width"/> outputs: whole panels.</summary>
            public static int Stride(int width) => PackedProducts.Panels(width) * PackedProducts.TileColumns;
        }
    }
}
