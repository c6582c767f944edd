using System;
using System.ComponentModel;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace VaeGen.Maths;

/// <summary>
/// An inverse autoregressive flow (Kingma et al., 2016): K steps, each z' = σ ⊙ z + (1 - σ) ⊙ m with σ = sigmoid(s), where
/// (m, s) come from an autoregressive MADE network of z (Germain et al., 2015), so m_i and s_i depend only on the z_j
/// before z_i. The Jacobian of a step is then triangular with diagonal σ, and log|det| = sum_j log σ_j, taken as
/// logsigmoid(s) for stability. The parameters are global (the flow is not conditioned on the encoder's context h).
/// It turns a posterior sample z_0 into z_K and returns the summed log-determinants, so log q(z_K) = log q(z_0) - LogDet.
/// </summary>
/// <remarks>
/// <para>
/// A step's network: z [..., D] → masked linear D→H → ELU → masked linear H→H → ELU → two masked linear heads H→D, the
/// shift m and the gate s. ELU rather than ReLU: it is smooth, as is the flow then, and has no dead units. Degrees
/// (MADE): input j has degree j (1..D); hidden unit k has degree 1 + (k mod max(1, D - 1)), cycling over 1..max(1, D - 1);
/// a hidden unit connects to the inputs, or first-layer units, of degree at most its own; output i (of degree i) connects
/// to the hidden units of degree below i, so output 1 is its bias alone, and with D = 1 both heads are biases only. The
/// masks multiply the weights in every forward pass; they are constant tensors held outside the state_dict (they follow
/// from the sizes), converted to the weights' dtype and device when those change.
/// </para>
/// <para>
/// The order of the variables is reversed (the last dimension flipped) between steps, not after the last, so each
/// dimension can depend on every other across steps; a permutation's log-determinant is 0.
/// </para>
/// <para>
/// Initialization: TorchSharp's default for linear layers (drawn with its global generator, so torch.manual_seed makes it
/// reproducible), except that the gate's bias is +2, so σ starts near sigmoid(2) = 0.88 and a step starts near the
/// identity, as Kingma et al. suggest (a forget-gate-like initialization).
/// </para>
/// <para>
/// Parameters, in parameters() and state_dict, for k = 0..K-1: <c>steps.{k}.hidden1.weight</c> [H, D] and <c>.bias</c> [H],
/// <c>steps.{k}.hidden2.weight</c> [H, H] and <c>.bias</c> [H], <c>steps.{k}.shift.weight</c> [D, H] and <c>.bias</c> [D]
/// (m), <c>steps.{k}.gate.weight</c> [D, H] and <c>.bias</c> [D] (s). The weights are stored whole, masked entries
/// included (they get zero gradients), so <see cref="ParameterCount"/> is K * (3 D H + H² + 2 H + 2 D).
/// </para>
/// </remarks>
/// <remarks>Generated models call this; it is public for them, and hidden from IntelliSense because user code has no need of it.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class InverseAutoregressiveFlow : nn.Module<Tensor, (Tensor Z, Tensor LogDet)>
{
    /// <summary>The gate's initial bias: sigmoid(2) = 0.88.</summary>
    private const double InitialGateBias = 2.0;

    // RegisterComponents names the steps' parameters after this field: "steps.0.hidden1.weight", ...
    private readonly ModuleList<Step> steps;

    // The MADE masks of the input layer [H, D], the hidden layer [H, H] and both heads [D, H]: the same for every step.
    // An array, which RegisterComponents passes over, so they stay out of the state_dict.
    private readonly Tensor[] masks;

    /// <summary>Creates the steps' layers and masks and registers the layers.</summary>
    /// <param name="name">The module's name.</param>
    /// <param name="steps">K, the number of IAF steps, at least 1.</param>
    /// <param name="latentSize">D, the dimension of z, at least 1.</param>
    /// <param name="hiddenSize">H, the width of each step's two hidden layers, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is less than 1; the exception names it and gives its value.</exception>
    public InverseAutoregressiveFlow(string name, int steps, int latentSize, int hiddenSize) : base(name)
    {
        RequireSizes(steps, latentSize, hiddenSize);
        Steps = steps;
        LatentSize = latentSize;
        HiddenSize = hiddenSize;
        var created = new Step[steps];
        for (var k = 0; k < steps; k++) created[k] = new Step(latentSize, hiddenSize);
        this.steps = nn.ModuleList(created);
        masks = Masks(latentSize, hiddenSize);
        RegisterComponents();
    }

    /// <summary>K, the number of IAF steps.</summary>
    public int Steps { get; }

    /// <summary>D, the dimension of z.</summary>
    public int LatentSize { get; }

    /// <summary>H, the width of each step's hidden layers.</summary>
    public int HiddenSize { get; }

    /// <summary>
    /// Trainable parameters of a flow with these sizes, per step D H + H (input layer), H H + H (hidden layer) and
    /// 2 (H D + D) (two heads): K * (3 D H + H² + 2 H + 2 D).
    /// </summary>
    /// <param name="steps">K, at least 1.</param>
    /// <param name="latentSize">D, at least 1.</param>
    /// <param name="hiddenSize">H, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is less than 1.</exception>
    public static long ParameterCount(int steps, int latentSize, int hiddenSize)
    {
        RequireSizes(steps, latentSize, hiddenSize);
        long d = latentSize, h = hiddenSize;
        return steps * (3 * d * h + h * h + 2 * h + 2 * d);
    }

    /// <summary>
    /// The MADE degree of each hidden unit: 1 + (k mod max(1, D - 1)) for unit k, cycling over 1..max(1, D - 1).
    /// Inputs and outputs have degrees 1..D.
    /// </summary>
    /// <param name="latentSize">D.</param>
    /// <param name="hiddenSize">H.</param>
    public static int[] HiddenDegrees(int latentSize, int hiddenSize)
    {
        RequireSizes(1, latentSize, hiddenSize);
        var cycle = Math.Max(1, latentSize - 1);
        var degrees = new int[hiddenSize];
        for (var k = 0; k < hiddenSize; k++) degrees[k] = 1 + k % cycle;
        return degrees;
    }

    /// <summary>Runs z through the K steps, reversing the order of the variables between steps.</summary>
    /// <param name="z">Points, shape [..., D], in the dtype of the parameters.</param>
    /// <returns>
    /// Z, the shape of <paramref name="z"/>, and LogDet = sum over steps and dimensions of log σ, the shape of
    /// <paramref name="z"/> without its last dimension.
    /// </returns>
    public override (Tensor Z, Tensor LogDet) forward(Tensor z)
    {
        using var scope = NewDisposeScope();
        var current = z;
        Tensor? logDet = null;
        for (var k = 0; k < Steps; k++)
        {
            if (k > 0) current = current.flip(-1);
            var (next, stepLogDet) = steps[k].Apply(current, masks);
            current = next;
            logDet = logDet is null ? stepLogDet : logDet.Plus_(stepLogDet);
        }
        return (current.MoveToOuterDisposeScope(), logDet!.MoveToOuterDisposeScope());
    }

    /// <summary>Disposes the masks with the module.</summary>
    /// <param name="disposing">Whether this is Dispose rather than the finalizer.</param>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
            foreach (var mask in masks)
                mask.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>
    /// Each step's layers as the ONNX exporter writes them, in the order hidden1, hidden2, shift, gate: the weight with its
    /// MADE mask applied (W ⊙ M, what every forward pass multiplies by) and the bias. With the weights fixed these are the
    /// constants of the exported graph. The caller disposes the tensors.
    /// </summary>
    internal (Tensor Weight, Tensor Bias)[][] MaskedLayers()
    {
        using var noGrad = no_grad();
        var result = new (Tensor, Tensor)[Steps][];
        for (var k = 0; k < Steps; k++) result[k] = steps[k].MaskedLayers(masks);
        return result;
    }

    /// <summary>The input-layer, hidden-layer and head masks, 1 where a connection is allowed, float32 until first used.</summary>
    private static Tensor[] Masks(int latentSize, int hiddenSize)
    {
        var hidden = HiddenDegrees(latentSize, hiddenSize);
        var input = new float[hiddenSize * latentSize];
        var inner = new float[hiddenSize * hiddenSize];
        var head = new float[latentSize * hiddenSize];
        for (var k = 0; k < hiddenSize; k++)
        {
            // Weights are [outputs, inputs]: row k of the input mask is hidden unit k; input j has degree j + 1.
            for (var j = 0; j < latentSize; j++) input[k * latentSize + j] = hidden[k] >= j + 1 ? 1 : 0;
            for (var k0 = 0; k0 < hiddenSize; k0++) inner[k * hiddenSize + k0] = hidden[k] >= hidden[k0] ? 1 : 0;
        }
        for (var i = 0; i < latentSize; i++)
        for (var k = 0; k < hiddenSize; k++)
            head[i * hiddenSize + k] = i + 1 > hidden[k] ? 1 : 0;
        // Held for the module's lifetime, so out of any dispose scope the caller has open.
        return new[]
        {
            tensor(input, new long[] { hiddenSize, latentSize }).DetachFromDisposeScope(),
            tensor(inner, new long[] { hiddenSize, hiddenSize }).DetachFromDisposeScope(),
            tensor(head, new long[] { latentSize, hiddenSize }).DetachFromDisposeScope(),
        };
    }

    private static void RequireSizes(int steps, int latentSize, int hiddenSize)
    {
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "A flow needs at least one step.");
        if (latentSize < 1) throw new ArgumentOutOfRangeException(nameof(latentSize), latentSize, "The latent space needs at least one dimension.");
        if (hiddenSize < 1) throw new ArgumentOutOfRangeException(nameof(hiddenSize), hiddenSize, "The MADE network needs at least one hidden unit.");
    }

    /// <summary>One IAF step's MADE network and its map.</summary>
    private sealed class Step : nn.Module
    {
        // RegisterComponents takes the field names: "hidden1.weight", ...
        private readonly Linear hidden1;
        private readonly Linear hidden2;
        private readonly Linear shift;
        private readonly Linear gate;

        public Step(int latentSize, int hiddenSize) : base("IafStep")
        {
            hidden1 = nn.Linear(latentSize, hiddenSize);
            hidden2 = nn.Linear(hiddenSize, hiddenSize);
            shift = nn.Linear(hiddenSize, latentSize);
            gate = nn.Linear(hiddenSize, latentSize);
            using (no_grad())
            using (var initialGateBias = InitialGateBias.ToScalar())
                gate.bias!.fill_(initialGateBias);
            RegisterComponents();
        }

        /// <summary>z' = σ ⊙ z + (1 - σ) ⊙ m = m + σ ⊙ (z - m), and sum_j log σ_j.</summary>
        /// <param name="z">Points, shape [..., D].</param>
        /// <param name="masks">The flow's masks; replaced in place by copies in the weights' dtype and device if they differ.</param>
        public (Tensor Z, Tensor LogDet) Apply(Tensor z, Tensor[] masks)
        {
            var first = Elu(Masked(hidden1, z, masks, 0));
            var second = Elu(Masked(hidden2, first, masks, 1));
            var m = Masked(shift, second, masks, 2);
            var s = Masked(gate, second, masks, 2);
            var sigma = s.sigmoid();
            // Not in place on z - m: mul's backward needs it.
            var next = z.sub(m).mul(sigma).Plus_(m);
            return (next, nn.functional.logsigmoid(s).sum(-1));
        }

        /// <summary>hidden1, hidden2, shift and gate as (W ⊙ M, b), each a new tensor; see <see cref="InverseAutoregressiveFlow.MaskedLayers"/>.</summary>
        public (Tensor Weight, Tensor Bias)[] MaskedLayers(Tensor[] masks)
        {
            var layers = new[] { (hidden1, 0), (hidden2, 1), (shift, 2), (gate, 2) };
            var result = new (Tensor, Tensor)[layers.Length];
            for (var i = 0; i < layers.Length; i++)
            {
                var (layer, mask) = layers[i];
                var weight = layer.weight!;
                using var typedMask = masks[mask].to(weight.dtype, weight.device);
                result[i] = (weight.mul(typedMask), layer.bias!.alias());
            }
            return result;
        }

        /// <summary>ELU with alpha 1, through cached scalars rather than three new native ones per call.</summary>
        private static Tensor Elu(Tensor x) => x.elu(CachedScalars.One, CachedScalars.One, CachedScalars.One);

        /// <summary>The layer applied with its weight masked: x (W ⊙ M)ᵀ + b.</summary>
        private static Tensor Masked(Linear layer, Tensor x, Tensor[] masks, int index)
        {
            var weight = layer.weight!;
            var mask = masks[index];
            if (mask.dtype != weight.dtype || mask.device_type != weight.device_type || mask.device_index != weight.device_index)
            {
                // After Module.to: convert once, keep the copy outside every dispose scope, and let the old one go.
                var converted = mask.to(weight.dtype, weight.device).DetachFromDisposeScope();
                mask.Dispose();
                masks[index] = mask = converted;
            }
            return nn.functional.linear(x, weight.mul(mask), layer.bias);
        }
    }
}
