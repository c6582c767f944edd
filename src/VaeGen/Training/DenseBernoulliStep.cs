using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Globalization;
using System.Linq;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Threading;
using TorchSharp;
using TorchSharp.Modules;
using VaeGen.Maths;
using static TorchSharp.torch;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using static VaeGen.Maths.CpuSpans;

namespace VaeGen.Training;

/// <summary>
/// The compiled training step of a dense model with a Bernoulli likelihood, the diagonal Gaussian posterior, the
/// standard normal prior and the ELBO: the forward pass, the loss and every parameter's gradient of
/// reconstruction + w * KL, written straight into the gradient buffers of the session's fused Adam. The matrix products
/// run in libtorch (addmm into buffers allocated once per batch size); everything element-wise (bias, activation, the
/// reparameterization, the KL, the likelihood, and their derivatives) runs in C# on the same memory, one row at a time
/// while it is in cache, instead of as separate libtorch operations with autograd's bookkeeping.
/// </summary>
/// <remarks>
/// <para>
/// The gradients are the closed forms autograd computes for these operations: for the logits l of the Bernoulli
/// log-density, d/dl [softplus(l) - x l] = sigmoid(l) - x; for a dense layer a = h W^T + b, dW = da^T h, db = the column
/// sums of da and dh = da W; for z = mu + exp(logVar / 2) eps and the closed-form KL, dmu = dz + w mu and
/// dlogVar = dz eps exp(logVar / 2) / 2 + w (exp(logVar) - 1) / 2, all divided by the batch size (the loss is a batch
/// mean). Tests hold the gradients, the updates and a whole run to autograd's.
/// </para>
/// <para>
/// Generated models create one in <c>Fit</c> (<see cref="For"/>) when their declaration is covered (see
/// <see cref="UnsupportedActivation"/>) and their parameters allow it; otherwise they train through autograd. Forward
/// hooks registered on the layers are not called: the step does not call the modules' forward.
/// </para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class DenseBernoulliStep : IDisposable
{
    /// <summary>A dense layer and the activation that follows it.</summary>
    /// <param name="Linear">The layer.</param>
    /// <param name="Activation">Its activation: one that <see cref="UnsupportedActivation"/> accepts.</param>
    public readonly record struct Layer(Linear Linear, Activation Activation);

    private const float LeakySlope = Maths.OutputActivation.LeakyReluSlope;

    private readonly Layer[] encoder;
    private readonly Linear mu;
    private readonly Linear logVar;
    private readonly Layer[] decoder;
    private readonly Linear logits;
    private readonly Linear[] linears; // every layer with parameters, encoder to logits: the order of the gradients
    private readonly long inputSize;
    private readonly long latentSize;
    private readonly Dictionary<long, Buffers> buffers = new(); // the whole batch's, or the first half's
    private readonly Dictionary<long, Buffers> secondHalfBuffers = new();
    private Tensor[]? secondGradients;
    // Per layer in linears order: a view of its weight transposed, for the forward products, made once instead of at
    // every product (a view costs libtorch a new tensor and TorchSharp a wrapper), and the address of the memory it
    // views, so that a weight moved since (the optimizer moves the parameters into its flat buffer when it is created,
    // and a replaced weight lives elsewhere: the view keeps the old memory alive, so nothing new can take its address)
    // gets a new view.
    private readonly Tensor[] weightsT;
    private readonly nint[] weightsTAddress;
    // Per weight and bias in linears order, the parameter's index among the optimizer's; empty when one is not there.
    private int[]? gradientSlots;
    private readonly Dictionary<long, Tensor> noise = new(); // per batch size split in halves: the whole batch's noise
    // The halves of the last split step's input, with the address and row count of the input they view (see Halves).
    private readonly Tensor[] halves = new Tensor[2];
    private nint halvesAddress;
    private long halvesRows;
    private int loweredFrom; // the calling thread's libtorch thread count before the split steps set it to one; 0: not lowered
    private AdamOptimizer? optimizer;
    private TrainingSession? session;

    /// <summary>Checks that the layers chain and can take this step; the buffers come with the first batch of each size.</summary>
    /// <param name="encoder">The encoder's hidden layers, in order (none: the posterior layers read the input).</param>
    /// <param name="mu">The layer from the last hidden layer to the posterior means.</param>
    /// <param name="logVar">The layer from the last hidden layer to the posterior log-variances.</param>
    /// <param name="decoder">The decoder's hidden layers, in order (none: the logits layer reads z).</param>
    /// <param name="logits">The layer from the decoder's last hidden layer to the Bernoulli logits.</param>
    /// <exception cref="ArgumentException">The layers do not chain, a parameter is not float32 on the CPU, or an activation is not covered.</exception>
    public DenseBernoulliStep(IReadOnlyList<Layer> encoder, Linear mu, Linear logVar, IReadOnlyList<Layer> decoder, Linear logits)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(decoder);
        this.encoder = Copy(encoder, nameof(encoder));
        this.decoder = Copy(decoder, nameof(decoder));
        this.mu = mu ?? throw new ArgumentNullException(nameof(mu));
        this.logVar = logVar ?? throw new ArgumentNullException(nameof(logVar));
        this.logits = logits ?? throw new ArgumentNullException(nameof(logits));

        latentSize = Out(mu);
        inputSize = this.encoder.Length > 0 ? In(this.encoder[0].Linear) : In(mu);
        var width = this.encoder.Length > 0 ? Out(this.encoder[^1].Linear) : inputSize;
        var decoded = this.decoder.Length > 0 ? Out(this.decoder[^1].Linear) : latentSize;
        Chain(this.encoder, nameof(encoder));
        Chain(this.decoder, nameof(decoder));
        Expect(In(mu) == width && In(logVar) == width && Out(logVar) == latentSize, nameof(logVar),
            $"The posterior layers must map the encoder's {width} features to the latent size: mu is {In(mu)} -> {Out(mu)}, logVar {In(logVar)} -> {Out(logVar)}.");
        Expect(this.decoder.Length == 0 || In(this.decoder[0].Linear) == latentSize, nameof(decoder),
            $"The decoder's first layer takes {(this.decoder.Length > 0 ? In(this.decoder[0].Linear) : 0)} features, not the latent size {latentSize}.");
        Expect(In(logits) == decoded && Out(logits) == inputSize, nameof(logits),
            $"The logits layer must map the decoder's {decoded} features to the input's {inputSize}, but it is {In(logits)} -> {Out(logits)}.");
        linears = [.. this.encoder.Select(layer => layer.Linear), mu, logVar, .. this.decoder.Select(layer => layer.Linear), logits];
        weightsT = new Tensor[linears.Length];
        weightsTAddress = new nint[linears.Length];
        foreach (var linear in linears)
        {
            foreach (var parameter in new[] { linear.weight, linear.bias })
            {
                Expect(parameter is not null, nameof(encoder), "Every layer needs a weight and a bias.");
                Expect(parameter!.dtype == ScalarType.Float32 && parameter.device_type == DeviceType.CPU, nameof(encoder),
                    $"The compiled step works on float32 parameters on the CPU, but a parameter is {parameter.dtype} on {parameter.device}.");
            }
        }
    }

    /// <summary>
    /// The step for <paramref name="session"/>'s model, writing into its optimizer's gradient buffers; or null when
    /// autograd must train it: a parameter that is not float32 on the CPU, a frozen one (requires_grad false, which
    /// autograd leaves alone and this step would update), or one beyond the layers handed over (which this step would
    /// give no gradient). The generated <c>Fit</c> calls this for the declarations the step covers. The step tells the
    /// session that its steps make no tensors, so that a session gathering its batches opens no dispose scope per step:
    /// once a step is made, every step of the session goes through its <see cref="StepMeans"/> (as in the generated
    /// loop) until it is disposed; what else a step makes is the caller's to dispose.
    /// </summary>
    /// <exception cref="ArgumentException">The layers do not chain, or an activation is not covered.</exception>
    public static DenseBernoulliStep? For(TrainingSession session, IReadOnlyList<Layer> encoder, Linear mu, Linear logVar, IReadOnlyList<Layer> decoder, Linear logits)
    {
        ArgumentNullException.ThrowIfNull(session);
        var layers = 2 * (encoder.Count + decoder.Count + 3);
        var count = 0;
        foreach (var parameter in session.Model.parameters())
        {
            count++;
            if (!parameter.requires_grad || parameter.dtype != ScalarType.Float32 || parameter.device_type != DeviceType.CPU) return null;
        }
        if (count != layers) return null;
        var step = new DenseBernoulliStep(encoder, mu, logVar, decoder, logits) { optimizer = session.Optimizer, session = session };
        session.EpochEnding += step.RestoreThreads;
        // The step makes no tensors of its own, so the session's steps need no dispose scope (see StepMeans).
        session.StepsMakeNoTensors = true;
        return step;
    }

    /// <summary>
    /// Starts compiling, on a background thread and once per process, the methods of a training step through this class
    /// that the runtime would otherwise compile, fully optimized, in the first step: those marked AggressiveOptimization
    /// in this class, in the session's batches and record, in the binarization draw, in the optimizer's step and its
    /// fused update, and in the second thread that shares a split step. Returns at once. The generated <c>Fit</c> calls it
    /// before it checks the data, so that the compilation runs beside the checks and the session's setup (on another
    /// core, where there is one) instead of in the first epoch. A step that comes before the compilation is done compiles
    /// what is still missing itself, as it would without it.
    /// </summary>
    public static void CompileAhead() => _ = Ahead.Start();

    /// <summary>The compilation <see cref="CompileAhead"/> starts; tests await it.</summary>
    internal static AheadCompilation Ahead { get; } =
        new(typeof(DenseBernoulliStep), typeof(TrainingSession), typeof(BinarizationDraw), typeof(AdamOptimizer), typeof(FusedAdamUpdate), typeof(SecondThread));

    /// <summary>
    /// Null when the compiled step can follow <paramref name="activation"/>; otherwise why not. It derives each
    /// activation's derivative from the activation's output, which ReLU, LeakyReLU (slope 0.01), Tanh, Sigmoid and
    /// Identity allow.
    /// </summary>
    public static string? UnsupportedActivation(Activation activation) => activation switch
    {
        Activation.ReLU or Activation.LeakyReLU or Activation.Tanh or Activation.Sigmoid or Activation.Identity => null,
        _ => $"its derivative needs the input of {activation}, which the compiled step does not keep",
    };

    /// <summary>
    /// One step's forward pass and gradients for the binary batch <paramref name="x"/>, drawing the noise of the
    /// reparameterization from TorchSharp's global generator as the autograd path does (the values of randn of
    /// [batch, latent]). The gradient of every parameter is overwritten (nothing accumulates, so no zeroing is needed).
    /// </summary>
    /// <param name="x">The targets, [batch, input] float32 on the CPU, values 0 or 1 (or in [0, 1]).</param>
    /// <param name="klWeight">The KL's weight w in the objective reconstruction + w * KL.</param>
    /// <returns>
    /// The batch means of the reconstruction term and of the KL, in nats, as new float32 scalars: the caller's to
    /// dispose (a session's steps under this step run without a dispose scope; see <see cref="StepMeans"/>).
    /// </returns>
    public (Tensor Reconstruction, Tensor Kl) Step(Tensor x, double klWeight)
    {
        var (reconstruction, kl) = StepMeans(x, klWeight);
        return (tensor(reconstruction), tensor(kl));
    }

    /// <summary>
    /// <see cref="Step"/>, returning the batch means as numbers rather than tensors: the same float32 values, for the
    /// session's <see cref="TrainingSession.Record(float, float, long)"/>, without a tensor made for each.
    /// </summary>
    /// <param name="x">The targets, [batch, input] float32 on the CPU, values 0 or 1 (or in [0, 1]).</param>
    /// <param name="klWeight">The KL's weight w in the objective reconstruction + w * KL.</param>
    /// <returns>The batch means of the reconstruction term and of the KL, in nats.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public (float Reconstruction, float Kl) StepMeans(Tensor x, double klWeight)
    {
        ArgumentNullException.ThrowIfNull(x);
        // size(d) asks libtorch for one extent; shape would make an array of them, each step.
        if (x.dim() != 2 || x.size(1) != inputSize || x.dtype != ScalarType.Float32 || x.device_type != DeviceType.CPU)
            throw new ArgumentException($"The compiled step takes [batch, {inputSize}] float32 on the CPU, but x is {Checks.ShapeText.Of(x.shape)} {x.dtype} on {x.device}.", nameof(x));
        var batch = x.size(0);
        // Something may have replaced the gradients since the last step (module.zero_grad() sets them to null); the
        // optimizer points them at its flat buffer again, as it does before its own step.
        optimizer?.EnsureGradientsAttached();
        using var noGrad = no_grad();
        // The step makes no tensor but when x is not contiguous, or the gradients are read from .grad; then a scope
        // frees what it makes. (The views it keeps, of weights and of the input's halves, are detached from any scope
        // and disposed when they are made again or the step is.)
        var gradients = OptimizerGradients();
        var contiguous = x.is_contiguous();
        using var scope = gradients is null || !contiguous ? NewDisposeScope() : null;
        gradients ??= ParameterGradients();
        var input = contiguous ? x : x.contiguous();
        RefreshTransposes();
        var scale = 1f / batch;
        var weight = (float)(klWeight / batch);
        var threads = loweredFrom > 0 ? loweredFrom : get_num_threads();
        var split = InHalves && batch >= 2 * MinimumHalf && SecondThread.Worthwhile(threads);
        if (split && loweredFrom == 0)
        {
            loweredFrom = threads;
            set_num_threads(1);
            if (optimizer is not null) optimizer.SharesUpdate = true;
        }
        var (reconstruction, kl) = StepInParts(input, batch, split ? 2 : 1, scale, weight, gradients);
        return ((float)(reconstruction / batch), (float)(kl / batch));
    }

    /// <summary>
    /// Gives the calling thread's libtorch back the threads <see cref="StepInParts"/> took from it (nothing if it took
    /// none). Called as each epoch ends (the session's <see cref="TrainingSession.EpochEnding"/>) and on disposal; the
    /// next split step takes them again.
    /// </summary>
    internal void RestoreThreads()
    {
        if (loweredFrom == 0) return;
        set_num_threads(loweredFrom);
        loweredFrom = 0;
        if (optimizer is not null) optimizer.SharesUpdate = false;
    }

    /// <summary>Half batches of this step the second thread has computed, so that a test can see the split take place.</summary>
    internal long HalvesOnSecondThread;

    /// <summary>The fewest examples in a half batch for <see cref="StepInParts"/>; smaller batches are not worth a second thread.</summary>
    internal const long MinimumHalf = 16;

    /// <summary>
    /// Whether batches of 2 <see cref="MinimumHalf"/> or more are split between two threads (when libtorch has two);
    /// tests turn it off to hold the split to the whole-batch pass.
    /// </summary>
    internal bool InHalves { get; set; } = true;

    /// <summary>
    /// The step over the whole batch on the calling thread (<paramref name="parts"/> 1), or split in two halves on two
    /// threads (2), each half with its own buffers and libtorch on one thread: the first half's gradients go into the
    /// optimizer's buffers, the second's into buffers of this step, and both threads then add the second set into the
    /// first, a layer at a time. The noise is drawn for the whole batch first,
    /// as the whole-batch pass draws it. Each half and each layer's sum is computed by one thread in one order, and the
    /// halves' sums are added in a fixed order, so the result does not depend on which thread took what, or on whether
    /// the second thread was free (if not, the caller does both halves).
    /// </summary>
    /// <remarks>
    /// Why: with libtorch on two threads, its worker spins on the second core after each product, so that the C#
    /// passes between products (the likelihood, the activations, the bias sums) could only run on one thread. Here no
    /// libtorch operation uses a second thread: the calling thread's libtorch is set to one thread from the first split
    /// step until the epoch ends, for a step made by <see cref="For"/>, or until the step is disposed
    /// (<see cref="RestoreThreads"/>, which must run on the thread that stepped; set per step, the count's changes and the worker's
    /// spinning after the other operations between steps cost more than the split gained), and the second thread's
    /// for good (TorchSharp's libtorch is built with OpenMP, which keeps the count per thread, and MKL's is set per thread
    /// too; a thread that first calls libtorch later starts from the count last set).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (double Reconstruction, double Kl) StepInParts(Tensor input, long batch, int parts, float scale, float weight, Tensor[] gradients)
    {
        if (parts > 1) SecondThread.Shared.Wake(); // while the noise is drawn
        var caller = Environment.CurrentManagedThreadId;
        var sizes = parts == 1 ? new[] { batch } : new[] { (batch + 1) / 2, batch / 2 };
        var sets = new Buffers[parts];
        for (var i = 0; i < parts; i++) sets[i] = BuffersFor(i == 0 ? buffers : secondHalfBuffers, sizes[i]);
        // The noise as Reparameterization.NoiseLike draws it, randn of the means' shape from the global generator: randn
        // is libtorch's normal_ on a new tensor, so the same draw into a buffer kept per batch size gives the same values.
        if (parts == 1)
        {
            sets[0].Eps.normal_();
        }
        else
        {
            var whole = NoiseFor(batch);
            whole.normal_();
            var split = (int)(sizes[0] * latentSize);
            Floats(whole)[..split].CopyTo(Floats(sets[0].Eps));
            Floats(whole)[split..].CopyTo(Floats(sets[1].Eps));
        }
        var destinations = parts == 1 ? new[] { gradients } : new[] { gradients, SecondGradients() };
        var inputs = parts == 1 ? new[] { input } : Halves(input, sizes[0]);
        var results = new (double Reconstruction, double Kl)[parts];
        SecondThread.Shared.For(parts, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, part) =>
        {
            if (parts > 1 && get_num_threads() != 1) set_num_threads(1);
            using var noGrad = no_grad();
            results[part] = Pass(sets[part], inputs[part], scale, weight, destinations[part]);
            if (Environment.CurrentManagedThreadId != caller) Interlocked.Increment(ref HalvesOnSecondThread);
        });
        if (parts == 1) return results[0];
        // The second half's gradients into the first's: each buffer in two parts, the parts shared out between the threads.
        var (first, second) = (destinations[0], destinations[1]);
        SecondThread.Shared.For(2 * first.Length, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, piece) =>
        {
            var total = Floats(first[piece / 2]);
            var middle = total.Length / 2;
            var (start, length) = piece % 2 == 0 ? (0, middle) : (middle, total.Length - middle);
            AddInto(total.Slice(start, length), Floats(second[piece / 2]).Slice(start, length));
        });
        return (results[0].Reconstruction + results[1].Reconstruction, results[0].Kl + results[1].Kl);
    }

    /// <summary>One pass over <paramref name="input"/>: forward, loss and every gradient, into <paramref name="gradients"/> (weight and bias of each layer in <see cref="linears"/> order).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (double Reconstruction, double Kl) Pass(Buffers b, Tensor input, float scale, float weight, Tensor[] gradients)
    {
        // Forward: each hidden layer's product, then its bias and activation in one pass per row.
        var h = Stack(input, encoder, b.Encoder, weightsT);
        b.Mu.addmm_(h, weightsT[encoder.Length], 0f, 1f);
        b.LogVar.addmm_(h, weightsT[encoder.Length + 1], 0f, 1f);
        var kl = Reparameterize(b, Floats(mu.bias!), Floats(logVar.bias!));
        var z = Stack(b.Z, decoder, b.Decoder, weightsT.AsSpan(encoder.Length + 2));
        b.Logits.addmm_(z, weightsT[^1], 0f, 1f);
        var reconstruction = BernoulliLossAndGradient(b, input, logits.bias!, scale);

        // Backward: the logits' gradient is in b.Logits now. Each layer's output gradient is the next one's input
        // gradient times its weight, then times the activation's derivative. Layer k's gradients are
        // gradients[2 k] (weight) and gradients[2 k + 1] (bias), in the order of linears.
        var logitsLayer = encoder.Length + 2 + decoder.Length;
        Gradients(gradients, logitsLayer, b.Logits, b.LogitsT, z);
        var upstream = b.Logits;
        var upstreamWeight = logits.weight!;
        for (var i = decoder.Length - 1; i >= 0; i--)
        {
            var gradient = b.DecoderGradients[i];
            gradient.addmm_(upstream, upstreamWeight, 0f, 1f);
            ActivationGradient(gradient, b.Decoder[i], decoder[i].Activation);
            Gradients(gradients, encoder.Length + 2 + i, gradient, b.DecoderGradientsT[i], i == 0 ? b.Z : b.Decoder[i - 1]);
            upstream = gradient;
            upstreamWeight = decoder[i].Linear.weight!;
        }
        b.ZGradient.addmm_(upstream, upstreamWeight, 0f, 1f);
        PosteriorGradients(b, weight);
        Gradients(gradients, encoder.Length, b.MuGradient, b.MuGradientT, h);
        Gradients(gradients, encoder.Length + 1, b.LogVarGradient, b.LogVarGradientT, h);
        for (var i = encoder.Length - 1; i >= 0; i--)
        {
            var gradient = b.EncoderGradients[i];
            if (i == encoder.Length - 1)
            {
                gradient.addmm_(b.MuGradient, mu.weight!, 0f, 1f);
                gradient.addmm_(b.LogVarGradient, logVar.weight!, 1f, 1f);
            }
            else
            {
                gradient.addmm_(b.EncoderGradients[i + 1], encoder[i + 1].Linear.weight!, 0f, 1f);
            }
            ActivationGradient(gradient, b.Encoder[i], encoder[i].Activation);
            Gradients(gradients, i, gradient, b.EncoderGradientsT[i], i == 0 ? input : b.Encoder[i - 1]);
        }
        return (reconstruction, kl);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Buffers BuffersFor(Dictionary<long, Buffers> sets, long batch)
    {
        if (!sets.TryGetValue(batch, out var b))
        {
            b = new Buffers(batch, encoder, decoder, latentSize, inputSize);
            sets.Add(batch, b);
        }
        return b;
    }

    /// <summary>The whole batch's noise buffer for a split step of <paramref name="batch"/> examples, made at the first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Tensor NoiseFor(long batch)
    {
        if (!noise.TryGetValue(batch, out var whole))
        {
            whole = empty(batch, latentSize, dtype: ScalarType.Float32, device: CPU).DetachFromDisposeScope();
            noise.Add(batch, whole);
        }
        return whole;
    }

    /// <summary>
    /// Makes <see cref="weightsT"/> current: a layer whose weight lives at another address than when its view was made
    /// (moved, or another object) gets a new view. Called in <see cref="StepMeans"/> without autograd, so that a product
    /// through a view records nothing.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RefreshTransposes()
    {
        for (var i = 0; i < linears.Length; i++)
        {
            var weight = linears[i].weight!;
            // A weight that is not contiguous (a view of another tensor) has no span to locate it by: its view is made
            // again at every step, as every product made one before.
            var address = weight.is_contiguous() ? Address(weight) : 0;
            if (weightsT[i] is not null && address != 0 && weightsTAddress[i] == address) continue;
            weightsT[i]?.Dispose();
            weightsT[i] = weight.t().DetachFromDisposeScope();
            weightsTAddress[i] = address;
        }
    }

    /// <summary>The address of a CPU tensor's first element, to tell whether its memory has moved.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static nint Address(Tensor tensor) =>
        Unsafe.ByteOffset(ref Unsafe.NullRef<byte>(), ref MemoryMarshal.GetReference(tensor.bytes));

    /// <summary>
    /// The two halves of <paramref name="input"/>, the first of <paramref name="firstSize"/> rows: views kept from the
    /// last step while the input has the same address and row count (the session's batch buffers do), made anew
    /// otherwise. The kept views hold the old input's memory, so no other tensor can take its address meanwhile, and a
    /// tensor over the same memory with as many rows (the input is contiguous, [rows, input]) has the same halves; the
    /// first half's size is a function of the row count.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Tensor[] Halves(Tensor input, long firstSize)
    {
        var address = Address(input);
        var rows = input.size(0);
        if (halves[0] is null || address != halvesAddress || rows != halvesRows)
        {
            foreach (var half in halves) half?.Dispose();
            halves[0] = input.narrow(0, 0, firstSize).DetachFromDisposeScope();
            halves[1] = input.narrow(0, firstSize, rows - firstSize).DetachFromDisposeScope();
            halvesAddress = address;
            halvesRows = rows;
        }
        return halves;
    }

    /// <summary>
    /// The optimizer's own views of its flat gradient buffer for each layer's weight then bias, in <see cref="linears"/>
    /// order: the memory the parameters' .grad point at once EnsureGradientsAttached has run, without a new wrapper per
    /// parameter and step. Null when there is no optimizer, it is disposed, or it does not hold every parameter.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Tensor[]? OptimizerGradients()
    {
        if (optimizer is null) return null;
        // Looked up at the first step, and again when a layer's weight or bias is no longer the parameter there.
        if (gradientSlots is null || !SlotsHold(gradientSlots))
            gradientSlots = optimizer.SlotsOf(WeightsAndBiases());
        var slices = optimizer.GradientSlices; // none once the optimizer is disposed
        if (gradientSlots.Length != 2 * linears.Length || slices.Length == 0) return null;
        var result = new Tensor[gradientSlots.Length];
        for (var i = 0; i < result.Length; i++) result[i] = slices[gradientSlots[i]];
        return result;
    }

    /// <summary>The parameters' .grad, weight then bias per layer in <see cref="linears"/> order: new wrappers, for the caller's scope to free.</summary>
    private Tensor[] ParameterGradients()
    {
        var result = new Tensor[2 * linears.Length];
        for (var i = 0; i < linears.Length; i++)
        {
            result[2 * i] = linears[i].weight!.grad ?? throw new InvalidOperationException("The weights have no gradient buffer: the compiled step writes into those of the session's AdamOptimizer.");
            result[2 * i + 1] = linears[i].bias!.grad ?? throw new InvalidOperationException("The biases have no gradient buffer: the compiled step writes into those of the session's AdamOptimizer.");
        }
        return result;
    }

    /// <summary>Whether <paramref name="slots"/> still name, in the optimizer, each layer's weight and bias.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool SlotsHold(int[] slots)
    {
        if (slots.Length != 2 * linears.Length) return false;
        for (var i = 0; i < linears.Length; i++)
        {
            if (!ReferenceEquals(optimizer!.ParameterAt(slots[2 * i]), linears[i].weight)
                || !ReferenceEquals(optimizer.ParameterAt(slots[2 * i + 1]), linears[i].bias))
                return false;
        }
        return true;
    }

    /// <summary>The second half's gradient buffers, shaped as the parameters, allocated at the first split step.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Tensor[] SecondGradients() =>
        secondGradients ??= WeightsAndBiases()
            .Select(parameter => empty(parameter.shape, dtype: ScalarType.Float32).DetachFromDisposeScope())
            .ToArray();

    /// <summary>Every layer's weight then bias, in <see cref="linears"/> order: the order of the gradients.</summary>
    private IEnumerable<Parameter> WeightsAndBiases() => linears.SelectMany(linear => new[] { linear.weight!, linear.bias! });

    /// <summary>
    /// A stack of dense layers forward from <paramref name="input"/>, layer i into <paramref name="outputs"/>[i]
    /// (<see cref="Dense"/>) with its weight transposed in <paramref name="transposedWeights"/>[i]; returns the last
    /// output, or the input for no layers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static Tensor Stack(Tensor input, Layer[] layers, Tensor[] outputs, ReadOnlySpan<Tensor> transposedWeights)
    {
        var h = input;
        for (var i = 0; i < layers.Length; i++)
        {
            Dense(outputs[i], h, transposedWeights[i], layers[i].Linear, layers[i].Activation);
            h = outputs[i];
        }
        return h;
    }

    /// <summary>output = activation(input W^T + b): the product into the buffer, then bias and activation row by row.</summary>
    /// <param name="output">The buffer, [rows, out].</param>
    /// <param name="input">The layer's input, [rows, in].</param>
    /// <param name="weightT">The layer's weight transposed, a view [in, out].</param>
    /// <param name="layer">The layer, for its bias.</param>
    /// <param name="activation">The activation after it.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Dense(Tensor output, Tensor input, Tensor weightT, Linear layer, Activation activation)
    {
        output.addmm_(input, weightT, 0f, 1f);
        var bias = Floats(layer.bias!);
        var values = Floats(output);
        var width = bias.Length;
        for (var row = 0; row < values.Length; row += width)
        {
            var span = values.Slice(row, width);
            AddInto(span, bias);
            Activate(span, activation);
        }
    }

    /// <summary>
    /// <paramref name="into"/> += <paramref name="values"/>, element by element: what TensorPrimitives.Add(into, values,
    /// into) computes, bit for bit.
    /// </summary>
    /// <remarks>
    /// A loop of our own, as is <see cref="Relu"/>, because TensorPrimitives' kernels are generic methods: the runtime
    /// first compiles them without optimization and recompiles them only after some thirty calls (counted once its
    /// start-up delay of about 100 ms without new compilations has passed), so the first few dozen steps of a run ran the
    /// bias additions, the bias gradients' column sums and ReLU several times slower (steps 2 to about 30 of the
    /// 784-400-20 model took 20-50% longer than later ones, about 100 ms in all). These methods are compiled optimized
    /// at their first call (AggressiveOptimization).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void AddInto(Span<float> into, ReadOnlySpan<float> values)
    {
        if (values.Length != into.Length) throw new ArgumentException($"The spans differ in length: {into.Length} and {values.Length}.", nameof(values));
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var sums = MemoryMarshal.Cast<float, Vector<float>>(into);
            var terms = MemoryMarshal.Cast<float, Vector<float>>(values);
            for (var v = 0; v < sums.Length; v++) sums[v] += terms[v];
            i = sums.Length * Vector<float>.Count;
        }
        for (; i < into.Length; i++) into[i] += values[i];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Activate(Span<float> values, Activation activation)
    {
        switch (activation)
        {
            case Activation.ReLU:
                Relu(values);
                break;
            case Activation.LeakyReLU:
                LeakyRelu(values);
                break;
            case Activation.Tanh:
                TensorPrimitives.Tanh(values, values);
                break;
            case Activation.Sigmoid:
                TensorPrimitives.Sigmoid(values, values);
                break;
            case Activation.Identity:
                break;
            default:
                throw new InvalidOperationException(UnsupportedActivation(activation));
        }
    }

    /// <summary>
    /// max(v, 0) in place as TensorPrimitives.Max(values, 0) computes it, bit for bit: 0 (positive) for v &lt;= 0,
    /// -0 included, and v for v &gt; 0 and for NaN. Our own loop for the reason <see cref="AddInto"/> gives.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Relu(Span<float> values)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vectors = MemoryMarshal.Cast<float, Vector<float>>(values);
            for (var v = 0; v < vectors.Length; v++)
            {
                var a = vectors[v];
                vectors[v] = Vector.ConditionalSelect(Vector.LessThanOrEqual(a, Vector<float>.Zero), Vector<float>.Zero, a);
            }
            i = vectors.Length * Vector<float>.Count;
        }
        for (; i < values.Length; i++) values[i] = values[i] <= 0 ? 0f : values[i];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void LeakyRelu(Span<float> values)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var slope = new Vector<float>(LeakySlope);
            var vectors = MemoryMarshal.Cast<float, Vector<float>>(values);
            for (var v = 0; v < vectors.Length; v++)
            {
                var a = vectors[v];
                vectors[v] = Vector.ConditionalSelect(Vector.GreaterThan(a, Vector<float>.Zero), a, a * slope);
            }
            i = vectors.Length * Vector<float>.Count;
        }
        for (; i < values.Length; i++) values[i] = values[i] > 0 ? values[i] : values[i] * LeakySlope;
    }

    /// <summary>gradient *= activation'(a), with the derivative taken from the layer's output h = activation(a).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ActivationGradient(Tensor gradient, Tensor output, Activation activation)
    {
        var g = Floats(gradient);
        var h = Floats(output);
        switch (activation)
        {
            case Activation.ReLU:
                Masked(g, h, 0f);
                break;
            case Activation.LeakyReLU:
                Masked(g, h, LeakySlope);
                break;
            case Activation.Tanh:
                // tanh' = 1 - h^2
                for (var i = 0; i < g.Length; i++) g[i] *= 1 - h[i] * h[i];
                break;
            case Activation.Sigmoid:
                // sigmoid' = h (1 - h)
                for (var i = 0; i < g.Length; i++) g[i] *= h[i] * (1 - h[i]);
                break;
            case Activation.Identity:
                break;
            default:
                throw new InvalidOperationException(UnsupportedActivation(activation));
        }
    }

    /// <summary>g = h &gt; 0 ? g : slope * g (ReLU's and LeakyReLU's derivative, read from the output's sign).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Masked(Span<float> g, ReadOnlySpan<float> h, float slope)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var factor = new Vector<float>(slope);
            var gs = MemoryMarshal.Cast<float, Vector<float>>(g);
            var hs = MemoryMarshal.Cast<float, Vector<float>>(h);
            for (var v = 0; v < gs.Length; v++)
                gs[v] = Vector.ConditionalSelect(Vector.GreaterThan(hs[v], Vector<float>.Zero), gs[v], gs[v] * factor);
            i = gs.Length * Vector<float>.Count;
        }
        for (; i < g.Length; i++) g[i] = h[i] > 0 ? g[i] : g[i] * slope;
    }

    /// <summary>Layer <paramref name="layer"/>'s weight gradient da^T h_in (one product into its buffer) and bias gradient, the column sums of da.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Gradients(Tensor[] gradients, int layer, Tensor outputGradient, Tensor outputGradientT, Tensor input)
    {
        gradients[2 * layer].addmm_(outputGradientT, input, 0f, 1f);
        var sums = Floats(gradients[2 * layer + 1]);
        var rows = Floats(outputGradient);
        sums.Clear();
        for (var row = 0; row < rows.Length; row += sums.Length) AddInto(sums, rows.Slice(row, sums.Length));
    }

    /// <summary>mu and logVar get their biases; z = mu + exp(logVar / 2) eps; returns the batch's summed closed-form KL.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Reparameterize(Buffers b, ReadOnlySpan<float> muBias, ReadOnlySpan<float> logVarBias)
    {
        var means = Floats(b.Mu);
        var logVars = Floats(b.LogVar);
        var eps = Floats(b.Eps);
        var z = Floats(b.Z);
        var width = muBias.Length;
        double kl = 0;
        for (var row = 0; row < means.Length; row += width)
        {
            float rowKl = 0;
            for (var j = 0; j < width; j++)
            {
                var i = row + j;
                var m = means[i] += muBias[j];
                var lv = logVars[i] += logVarBias[j];
                z[i] = m + MathF.Exp(0.5f * lv) * eps[i];
                rowKl += -0.5f * (1 + lv - m * m - MathF.Exp(lv));
            }
            kl += rowKl;
        }
        return kl;
    }

    /// <summary>dmu = dz + w mu and dlogVar = dz eps exp(logVar / 2) / 2 + w (exp(logVar) - 1) / 2, with w the KL weight over the batch size.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PosteriorGradients(Buffers b, float weight)
    {
        var means = Floats(b.Mu);
        var logVars = Floats(b.LogVar);
        var eps = Floats(b.Eps);
        var dz = Floats(b.ZGradient);
        var dMu = Floats(b.MuGradient);
        var dLogVar = Floats(b.LogVarGradient);
        for (var i = 0; i < means.Length; i++)
        {
            var lv = logVars[i];
            dMu[i] = dz[i] + weight * means[i];
            dLogVar[i] = 0.5f * (dz[i] * eps[i] * MathF.Exp(0.5f * lv) + weight * (MathF.Exp(lv) - 1));
        }
    }

    /// <summary>
    /// Adds the logits' bias, sums -log p(x|z) = softplus(l) - x l over the batch, and leaves (sigmoid(l) - x) / batch,
    /// the gradient of the batch mean, in the logits' buffer. softplus(l) = max(l, 0) + log(1 + exp(-|l|)) is stable
    /// for logits of any size, and sigmoid(l) = (l &gt;= 0 ? 1 : e) / (1 + e) with e = exp(-|l|) reuses its exponential.
    /// On the calling thread: split between two threads, the pass lost more to libtorch's worker threads (which spin for
    /// a while after the logits' product) than it gained.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double BernoulliLossAndGradient(Buffers b, Tensor targets, Tensor bias, float scale)
    {
        var logits = Floats(b.Logits);
        ReadOnlySpan<float> inputs = Floats(targets);
        ReadOnlySpan<float> offsets = Floats(bias);
        return SoftplusPolynomials.FmaAvailable
            ? FusedLikelihoodPass(logits, inputs, offsets, scale)
            : PortableLikelihoodPass(logits, inputs, offsets, scale, b.Exponentials, b.OnePlusExponentials);
    }

    /// <summary>
    /// <see cref="BernoulliLossAndGradient"/> in one pass over each row with <see cref="SoftplusPolynomials"/>'s polynomials and
    /// fused multiply-adds (x86 with AVX2 and FMA); a row whose width is not a multiple of eight ends with one
    /// zero-padded vector, of which only the row's own lanes are kept.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double FusedLikelihoodPass(Span<float> logits, ReadOnlySpan<float> x, ReadOnlySpan<float> bias, float scale)
    {
        const int lanes = 8;
        var width = bias.Length;
        var whole = width - width % lanes;
        var scales = Vector256.Create(scale);
        Span<float> lastLogits = stackalloc float[lanes];
        Span<float> lastTargets = stackalloc float[lanes];
        Span<float> lastLosses = stackalloc float[lanes];
        double total = 0;
        for (var row = 0; row < logits.Length / width; row++)
        {
            var l = logits.Slice(row * width, width);
            var t = x.Slice(row * width, width);
            var losses = Vector256<float>.Zero;
            for (var i = 0; i < whole; i += lanes)
            {
                var logit = Vector256.Create<float>(l.Slice(i, lanes)) + Vector256.Create(bias.Slice(i, lanes));
                losses += LossAndGradient(Vector256.Create(t.Slice(i, lanes)), logit, scales, out var gradient);
                gradient.CopyTo(l.Slice(i, lanes));
            }
            var rowLoss = Vector256.Sum(losses);
            if (whole < width)
            {
                var rest = width - whole;
                lastLogits.Clear();
                lastTargets.Clear();
                for (var j = 0; j < rest; j++) lastLogits[j] = l[whole + j] + bias[whole + j];
                t[whole..].CopyTo(lastTargets);
                LossAndGradient(Vector256.Create<float>(lastTargets), Vector256.Create<float>(lastLogits), scales, out var gradient).CopyTo(lastLosses);
                gradient.CopyTo(lastLogits);
                lastLogits[..rest].CopyTo(l[whole..]);
                for (var j = 0; j < rest; j++) rowLoss += lastLosses[j];
            }
            total += rowLoss;
        }
        return total;
    }

    /// <summary>
    /// softplus(l) - x l for each lane, and the gradient (sigmoid(l) - x) * scale; a NaN logit gives a NaN gradient, as
    /// the portable pass and autograd do (the polynomials alone would make it finite).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> LossAndGradient(Vector256<float> x, Vector256<float> l, Vector256<float> scale, out Vector256<float> gradient)
    {
        var e = SoftplusPolynomials.ExpNegativeAbsolute(l);
        var onePlus = Avx.Add(Vector256<float>.One, e);
        var numerator = Avx.BlendVariable(e, Vector256<float>.One, Avx.CompareGreaterThanOrEqual(l, Vector256<float>.Zero));
        gradient = Avx.Or(Avx.Multiply(Avx.Subtract(Avx.Divide(numerator, onePlus), x), scale), Avx.CompareUnordered(l, l));
        return Avx.Add(Fma.MultiplyAddNegated(x, l, Avx.Max(l, Vector256<float>.Zero)), SoftplusPolynomials.Log1PlusUnit(e)); // max(l, 0) - x l + log(1 + e)
    }

    /// <summary>
    /// <see cref="BernoulliLossAndGradient"/> on any processor, in four passes over each row while it is in cache:
    /// l += b and e = -|l|; e = exp(e) (TensorPrimitives); one pass for 1 + e, the sums of max(l, 0) - x l and the
    /// gradient; then log(1 + e) and its sum.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double PortableLikelihoodPass(Span<float> values, ReadOnlySpan<float> inputs, ReadOnlySpan<float> offsets, float scale, Span<float> e, Span<float> onePlus)
    {
        var width = offsets.Length;
        double total = 0;
        for (var row = 0; row < values.Length / width; row++)
        {
            var l = values.Slice(row * width, width);
            ReadOnlySpan<float> x = inputs.Slice(row * width, width);
            NegativeAbsolute(l, offsets, e);
            TensorPrimitives.Exp(e, e);
            var linear = GradientAndLinearTerms(l, x, e, onePlus, scale);
            TensorPrimitives.Log(onePlus, onePlus);
            total += linear + TensorPrimitives.Sum(onePlus);
        }
        return total;
    }

    /// <summary>l += bias; e = -|l|.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void NegativeAbsolute(Span<float> l, ReadOnlySpan<float> bias, Span<float> e)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var ls = MemoryMarshal.Cast<float, Vector<float>>(l);
            var bs = MemoryMarshal.Cast<float, Vector<float>>(bias);
            var es = MemoryMarshal.Cast<float, Vector<float>>(e);
            for (var v = 0; v < ls.Length; v++)
            {
                var value = ls[v] + bs[v];
                ls[v] = value;
                es[v] = -Vector.Abs(value);
            }
            i = ls.Length * Vector<float>.Count;
        }
        for (; i < l.Length; i++)
        {
            var value = l[i] += bias[i];
            e[i] = -MathF.Abs(value);
        }
    }

    /// <summary>
    /// With e = exp(-|l|): onePlus = 1 + e; l becomes (sigmoid(l) - x) * scale; returns the sum of max(l, 0) - x l
    /// (the part of softplus(l) - x l without log(1 + e)).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float GradientAndLinearTerms(Span<float> l, ReadOnlySpan<float> x, ReadOnlySpan<float> e, Span<float> onePlus, float scale)
    {
        var i = 0;
        var sum = 0f;
        if (Vector.IsHardwareAccelerated)
        {
            var ls = MemoryMarshal.Cast<float, Vector<float>>(l);
            var xs = MemoryMarshal.Cast<float, Vector<float>>(x);
            var es = MemoryMarshal.Cast<float, Vector<float>>(e);
            var ones = MemoryMarshal.Cast<float, Vector<float>>(onePlus);
            var scaleVector = new Vector<float>(scale);
            var accumulated = Vector<float>.Zero;
            for (var v = 0; v < ls.Length; v++)
            {
                var logit = ls[v];
                var target = xs[v];
                var denominator = Vector<float>.One + es[v];
                ones[v] = denominator;
                accumulated += Vector.Max(logit, Vector<float>.Zero) - target * logit;
                var numerator = Vector.ConditionalSelect(Vector.GreaterThanOrEqual(logit, Vector<float>.Zero), Vector<float>.One, es[v]);
                ls[v] = (numerator / denominator - target) * scaleVector;
            }
            sum = Vector.Sum(accumulated);
            i = ls.Length * Vector<float>.Count;
        }
        for (; i < l.Length; i++)
        {
            var logit = l[i];
            var denominator = 1 + e[i];
            onePlus[i] = denominator;
            sum += MathF.Max(logit, 0) - x[i] * logit;
            l[i] = ((logit >= 0 ? 1 : e[i]) / denominator - x[i]) * scale;
        }
        return sum;
    }

    private static Layer[] Copy(IReadOnlyList<Layer> layers, string name)
    {
        var copy = new Layer[layers.Count];
        for (var i = 0; i < copy.Length; i++)
        {
            Expect(layers[i].Linear is not null, name, string.Create(CultureInfo.InvariantCulture, $"Layer {i} has no Linear module."));
            Expect(UnsupportedActivation(layers[i].Activation) is null, name,
                string.Create(CultureInfo.InvariantCulture, $"Layer {i} is followed by {layers[i].Activation}: the compiled step cannot follow it, because {UnsupportedActivation(layers[i].Activation)}."));
            copy[i] = layers[i];
        }
        return copy;
    }

    internal static void Chain(Layer[] layers, string name)
    {
        for (var i = 1; i < layers.Length; i++)
        {
            Expect(In(layers[i].Linear) == Out(layers[i - 1].Linear), name,
                string.Create(CultureInfo.InvariantCulture, $"Layer {i} takes {In(layers[i].Linear)} features, but layer {i - 1} gives {Out(layers[i - 1].Linear)}."));
        }
    }

    internal static long In(Linear layer) => layer.weight!.shape[1];

    internal static long Out(Linear layer) => layer.weight!.shape[0];

    private static void Expect(bool condition, string parameter, string message)
    {
        if (!condition) throw new ArgumentException(message, parameter);
    }

    /// <summary>Frees the buffers; the layers stay the model's.</summary>
    public void Dispose()
    {
        RestoreThreads();
        if (session is not null)
        {
            session.EpochEnding -= RestoreThreads;
            session.StepsMakeNoTensors = false;
        }
        foreach (var half in halves) half?.Dispose();
        halves[0] = halves[1] = null!;
        foreach (var set in buffers.Values.Concat(secondHalfBuffers.Values)) set.Dispose();
        buffers.Clear();
        secondHalfBuffers.Clear();
        foreach (var gradient in secondGradients ?? Array.Empty<Tensor>()) gradient.Dispose();
        secondGradients = null;
        foreach (var whole in noise.Values) whole.Dispose();
        noise.Clear();
        for (var i = 0; i < weightsT.Length; i++)
        {
            weightsT[i]?.Dispose();
            weightsT[i] = null!;
        }
    }

    /// <summary>Every intermediate of one batch size, allocated once: activations, their gradients, and transposed views.</summary>
    private sealed class Buffers : IDisposable
    {
        private readonly List<Tensor> owned = new();

        public Buffers(long batch, Layer[] encoder, Layer[] decoder, long latent, long input)
        {
            Encoder = Each(encoder, batch);
            EncoderGradients = Each(encoder, batch);
            EncoderGradientsT = Transposed(EncoderGradients);
            Mu = Matrix(batch, latent);
            LogVar = Matrix(batch, latent);
            Eps = Matrix(batch, latent);
            Z = Matrix(batch, latent);
            MuGradient = Matrix(batch, latent);
            MuGradientT = Own(MuGradient.t());
            LogVarGradient = Matrix(batch, latent);
            LogVarGradientT = Own(LogVarGradient.t());
            ZGradient = Matrix(batch, latent);
            Decoder = Each(decoder, batch);
            DecoderGradients = Each(decoder, batch);
            DecoderGradientsT = Transposed(DecoderGradients);
            Logits = Matrix(batch, input);
            LogitsT = Own(Logits.t());
            Exponentials = new float[input];
            OnePlusExponentials = new float[input];
        }

        public Tensor[] Encoder { get; }
        public Tensor[] EncoderGradients { get; }
        public Tensor[] EncoderGradientsT { get; }
        public Tensor Mu { get; }
        public Tensor LogVar { get; }
        public Tensor Eps { get; }
        public Tensor Z { get; }
        public Tensor MuGradient { get; }
        public Tensor MuGradientT { get; }
        public Tensor LogVarGradient { get; }
        public Tensor LogVarGradientT { get; }
        public Tensor ZGradient { get; }
        public Tensor[] Decoder { get; }
        public Tensor[] DecoderGradients { get; }
        public Tensor[] DecoderGradientsT { get; }
        public Tensor Logits { get; }
        public Tensor LogitsT { get; }
        /// <summary>The likelihood's pass: exp(-|l|) of a row.</summary>
        public float[] Exponentials { get; }

        /// <summary>The likelihood's pass: 1 + exp(-|l|) of a row, then its log.</summary>
        public float[] OnePlusExponentials { get; }

        /// <summary>A float32 CPU buffer of <paramref name="rows"/> by <paramref name="columns"/>, whatever the default dtype, owned by this set.</summary>
        private Tensor Matrix(long rows, long columns) => Own(empty(rows, columns, dtype: ScalarType.Float32, device: CPU));

        private Tensor Own(Tensor tensor)
        {
            owned.Add(tensor.DetachFromDisposeScope());
            return tensor;
        }

        private Tensor[] Each(Layer[] layers, long batch)
        {
            var result = new Tensor[layers.Length];
            for (var i = 0; i < layers.Length; i++) result[i] = Matrix(batch, Out(layers[i].Linear));
            return result;
        }

        private Tensor[] Transposed(Tensor[] tensors)
        {
            var result = new Tensor[tensors.Length];
            for (var i = 0; i < tensors.Length; i++) result[i] = Own(tensors[i].t());
            return result;
        }

        public void Dispose()
        {
            foreach (var tensor in owned) tensor.Dispose();
        }
    }
}
