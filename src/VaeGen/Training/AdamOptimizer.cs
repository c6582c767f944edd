using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using TorchSharp;
using TorchSharp.Modules;
using VaeGen.Maths;
using static TorchSharp.torch;

namespace VaeGen.Training;

/// <summary>
/// Adam (Kingma and Ba): the update of torch.optim.Adam without weight decay or AMSGrad, on one flat buffer.
/// The constructor moves every parameter, and its gradient, into views of two contiguous buffers, so a step is eight
/// tensor operations whatever the number of layers, where a per-parameter loop costs eight per parameter; TorchSharp's
/// per-operation overhead is what dominates a small model's step on a CPU. Constant scalars are cached and per-step
/// ones disposed at once, so no native Scalar waits for the garbage collector.
/// </summary>
/// <remarks>
/// <para>
/// Create the optimizer after moving the model to its device and dtype: the flat buffers live where the parameters
/// were. Parameters that get no gradient in a step are treated as having a zero gradient (their moments decay).
/// </para>
/// <para>
/// Two paths compute the same update. Float32 parameters on the CPU take the fused one: a single SIMD pass over the
/// flat parameter, gradient and moment buffers (<see cref="FusedAdamUpdate"/>), which reads and writes each element
/// once instead of once per tensor operation. Other devices and dtypes take the general one, the eight tensor
/// operations, because the fused pass works on CPU memory and float32 only. <see cref="UpdatePath"/> says which runs and
/// why. The two differ only in float rounding (libtorch may fuse a multiply and an add the fused pass keeps apart), and
/// the moments they keep are the same tensors, saved and loaded alike.
/// </para>
/// </remarks>
public sealed class AdamOptimizer : IDisposable
{
    private readonly Parameter[] parameters;
    private readonly long[] offsets;
    // Per parameter, its view of the flat gradient buffer: what its .grad points at.
    private Tensor[] gradientSlices = Array.Empty<Tensor>();
    private readonly Tensor flatParameters;
    private readonly Tensor flatGradients;
    private readonly Tensor firstMoment;
    private readonly Tensor secondMoment;
    private readonly double beta1;
    private readonly double beta2;
    private readonly Scalar beta1Scalar;
    private readonly Scalar beta2Scalar;
    private readonly Scalar oneMinusBeta1;
    private readonly Scalar oneMinusBeta2;
    private readonly Scalar epsilon;
    private readonly double eps;
    private readonly bool fused;

    /// <summary>Creates the optimizer with zero moments, moving the parameters and their gradients into flat buffers.</summary>
    /// <param name="parameters">The parameters to update: one device and dtype.</param>
    /// <param name="learningRate">Step size.</param>
    /// <param name="beta1">Decay of the first moment.</param>
    /// <param name="beta2">Decay of the second moment.</param>
    /// <param name="eps">Added to the denominator for stability.</param>
    /// <param name="allowFused">
    /// Whether float32 parameters on the CPU may take the fused update; false keeps every step on the general path
    /// (to check one against the other).
    /// </param>
    /// <exception cref="ArgumentException">No parameters, or parameters on different devices or of different dtypes.</exception>
    public AdamOptimizer(IEnumerable<Parameter> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, bool allowFused = true)
    {
        this.parameters = parameters.ToArray();
        if (this.parameters.Length == 0) throw new ArgumentException("There are no parameters to optimize.", nameof(parameters));
        var first = this.parameters[0];
        if (this.parameters.Any(p => p.dtype != first.dtype || p.device.ToString() != first.device.ToString()))
            throw new ArgumentException("All parameters must share one device and dtype to live in one flat buffer.", nameof(parameters));

        LearningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        beta1Scalar = beta1.ToScalar();
        beta2Scalar = beta2.ToScalar();
        oneMinusBeta1 = (1 - beta1).ToScalar();
        oneMinusBeta2 = (1 - beta2).ToScalar();
        epsilon = eps.ToScalar();
        this.eps = eps;
        var cpu = first.device_type == DeviceType.CPU;
        var float32 = first.dtype == ScalarType.Float32;
        fused = allowFused && cpu && float32;
        UpdatePath = fused
            ? "fused: one SIMD pass over the flat float32 buffers on the CPU"
            : !allowFused
                ? "general: eight tensor operations, because the fused update was turned off"
                : !cpu
                    ? $"general: eight tensor operations, because the parameters are on {first.device} and the fused update works on CPU memory"
                    : $"general: eight tensor operations, because the parameters are {first.dtype} and the fused update is float32 only";

        var total = this.parameters.Sum(p => p.numel());
        flatParameters = empty(total, dtype: first.dtype, device: first.device).DetachFromDisposeScope();
        flatGradients = zeros(total, dtype: first.dtype, device: first.device).DetachFromDisposeScope();
        firstMoment = zeros(total, dtype: first.dtype, device: first.device).DetachFromDisposeScope();
        secondMoment = zeros(total, dtype: first.dtype, device: first.device).DetachFromDisposeScope();
        offsets = new long[this.parameters.Length];
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        long offset = 0;
        for (var i = 0; i < this.parameters.Length; i++)
        {
            var parameter = this.parameters[i];
            offsets[i] = offset;
            var values = flatParameters.narrow(0, offset, parameter.numel()).view(parameter.shape);
            values.copy_(parameter);
            // The parameter now reads and writes its slice of the flat buffer; modules keep the same Parameter object.
            parameter.set_(values);
            offset += parameter.numel();
        }
        AttachGradients(copyExisting: false);
    }

    /// <summary>
    /// Which update <see cref="Step"/> runs and why: "fused: ..." (one SIMD pass, float32 parameters on the CPU) or
    /// "general: ..." (eight tensor operations) with the reason the fused one does not apply.
    /// </summary>
    public string UpdatePath { get; }

    /// <summary>True when <see cref="Step"/> runs the fused single-pass update (see <see cref="UpdatePath"/>).</summary>
    public bool IsFused => fused;

    /// <summary>The step size.</summary>
    public double LearningRate { get; set; }

    /// <summary>Steps taken so far; the bias corrections depend on it.</summary>
    public long StepCount { get; private set; }

    /// <summary>The fused update of the flat buffers' elements [start, start + count).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FusedUpdate(int start, int count, float stepSize, float rootCorrection) =>
        FusedAdamUpdate.Apply(
            CpuSpans.Floats(flatParameters).Slice(start, count), CpuSpans.Floats(flatGradients).Slice(start, count),
            CpuSpans.Floats(firstMoment).Slice(start, count), CpuSpans.Floats(secondMoment).Slice(start, count),
            (float)beta1, (float)(1 - beta1), (float)beta2, (float)(1 - beta2), stepSize, rootCorrection, (float)eps);

    /// <summary>Sets every gradient to zero, in one operation on the flat gradient buffer.</summary>
    public void ZeroGrad() => flatGradients.zero_();

    /// <summary>
    /// Whether the fused update is shared between the calling thread and <see cref="Maths.SecondThread"/> (each element's
    /// update is the same whichever thread computes it). The compiled step turns it on while it keeps libtorch to one
    /// thread: with libtorch's own worker spinning on the second core after each operation, as it does otherwise, a
    /// second thread for this pass lost more than it gained.
    /// </summary>
    internal bool SharesUpdate { get; set; }

    /// <summary>Parameters from which a shared update is split between two threads.</summary>
    internal const int ShareFrom = 1 << 16;

    /// <summary>One Adam update of every parameter from the current gradients.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Step()
    {
        EnsureGradientsAttached();
        StepCount++;
        var biasCorrection1 = 1 - Math.Pow(beta1, StepCount);
        var biasCorrection2 = 1 - Math.Pow(beta2, StepCount);
        if (fused)
        {
            // Every constant rounded to float32 from its double value, as libtorch rounds the general path's scalars.
            var stepSize = (float)(-LearningRate / biasCorrection1);
            var rootCorrection = (float)(1 / Math.Sqrt(biasCorrection2));
            var length = (int)flatParameters.numel();
            if (!SharesUpdate || length < ShareFrom)
            {
                FusedUpdate(0, length, stepSize, rootCorrection);
                return;
            }
            var middle = length / 2;
            Maths.SecondThread.Shared.For(2, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, part) =>
                FusedUpdate(part == 0 ? 0 : middle, part == 0 ? middle : length - middle, stepSize, rootCorrection));
            return;
        }

        using var negativeStepSize = (-LearningRate / biasCorrection1).ToScalar();
        using var inverseRootCorrection2 = (1 / Math.Sqrt(biasCorrection2)).ToScalar();
        using var noGrad = no_grad();
        // m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;  p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
        firstMoment.mul_(beta1Scalar).add_(flatGradients, oneMinusBeta1);
        secondMoment.mul_(beta2Scalar).addcmul_(flatGradients, flatGradients, oneMinusBeta2);
        using var denominator = secondMoment.sqrt();
        denominator.mul_(inverseRootCorrection2).Plus_(epsilon);
        flatParameters.addcdiv_(firstMoment, denominator, negativeStepSize);
    }

    /// <summary>
    /// Backward accumulates into an existing gradient in place, so gradients stay views of the flat buffer, unless
    /// something replaced them (module.zero_grad() sets them to null, and backward then allocates new ones). The last
    /// parameter's gradient tells: a replaced one no longer starts at its offset in the flat buffer.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void EnsureGradientsAttached()
    {
        var last = parameters.Length - 1;
        using var gradient = parameters[last].grad;
        if (gradient is not null && last > 0 && gradient.storage_offset() == offsets[last]) return;
        AttachGradients(copyExisting: true);
    }

    /// <summary>Points every parameter's gradient at its slice of the flat gradient buffer, keeping current values when asked.</summary>
    private void AttachGradients(bool copyExisting)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var slices = new Tensor[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            var slice = flatGradients.narrow(0, offsets[i], parameters[i].numel()).view(parameters[i].shape);
            var current = copyExisting ? parameters[i].grad : null;
            if (current is null) slice.zero_();
            else slice.copy_(current);
            parameters[i].grad = slice;
            slices[i] = slice.DetachFromDisposeScope();
        }
        foreach (var old in gradientSlices) old.Dispose();
        gradientSlices = slices;
    }

    /// <summary>
    /// Per parameter, in the order given at construction, its view of the flat gradient buffer: after
    /// <see cref="EnsureGradientsAttached"/>, the memory its <c>.grad</c> points at. Owned by the optimizer; replaced when
    /// the gradients are attached again.
    /// </summary>
    internal Tensor[] GradientSlices
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        get => gradientSlices;
    }

    /// <summary>The parameter at <paramref name="slot"/>, in the order given at construction.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal Parameter ParameterAt(int slot) => parameters[slot];

    /// <summary>
    /// The index of each of <paramref name="wanted"/> among this optimizer's parameters; empty when one is not among them.
    /// </summary>
    internal int[] SlotsOf(IEnumerable<Parameter> wanted)
    {
        var slots = new List<int>();
        foreach (var parameter in wanted)
        {
            var slot = Array.FindIndex(parameters, candidate => ReferenceEquals(candidate, parameter));
            if (slot < 0) return Array.Empty<int>();
            slots.Add(slot);
        }
        return slots.ToArray();
    }

    /// <summary>Writes the step count and both moments.</summary>
    public void Save(BinaryWriter writer)
    {
        writer.Write(StepCount);
        writer.Write(firstMoment.numel());
        firstMoment.Save(writer);
        secondMoment.Save(writer);
    }

    /// <summary>Reads what <see cref="Save"/> wrote, for the same parameters.</summary>
    /// <exception cref="InvalidDataException">The saved state is for a different number of parameter values.</exception>
    public void Load(BinaryReader reader)
    {
        var steps = reader.ReadInt64();
        var count = reader.ReadInt64();
        if (count != firstMoment.numel())
            throw new InvalidDataException($"The optimizer state holds {count} parameter values, but the model has {firstMoment.numel()}.");
        using var noGrad = no_grad();
        firstMoment.Load(reader);
        secondMoment.Load(reader);
        StepCount = steps;
    }

    /// <summary>Frees the moments, the gradient buffer and the cached scalars; the parameters keep their storage.</summary>
    public void Dispose()
    {
        firstMoment.Dispose();
        secondMoment.Dispose();
        foreach (var slice in gradientSlices) slice.Dispose();
        gradientSlices = Array.Empty<Tensor>();
        flatGradients.Dispose();
        flatParameters.Dispose();
        foreach (var scalar in new[] { beta1Scalar, beta2Scalar, oneMinusBeta1, oneMinusBeta2, epsilon }) scalar.Dispose();
    }
}
