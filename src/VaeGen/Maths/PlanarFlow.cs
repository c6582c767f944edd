using System;
using System.ComponentModel;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace VaeGen.Maths;

/// <summary>
/// A planar normalizing flow (Rezende and Mohamed, 2015): K steps f(z) = z + û h(wᵀz + b) with h = tanh and global
/// learned parameters u, w [D] and b [1] per step (not amortized: the same flow for every example). It turns a posterior
/// sample z_0 into z_K and returns sum_k log|det ∂f_k/∂z|, so log q(z_K) = log q(z_0) - LogDet.
/// </summary>
/// <remarks>
/// <para>
/// Invertibility: f is invertible when wᵀû ≥ -1, which the step enforces by using
/// û = u + (m(wᵀu) - wᵀu) w / ||w||² with m(a) = -1 + softplus(a), so that wᵀû = m(wᵀu) &gt; -1.
/// </para>
/// <para>
/// Log-determinant: det(I + û ψᵀ) = 1 + ûᵀψ with ψ = h'(wᵀz + b) w, and h' = 1 - tanh². Because wᵀû = m(wᵀu) exactly,
/// 1 + ûᵀψ = 1 + h' (softplus(wᵀu) - 1) = tanh²(wᵀz + b) + (1 - tanh²(wᵀz + b)) softplus(wᵀu), a sum of two
/// non-negative terms, which is what the step takes the log of. Written as 1 + ûᵀψ it would cancel: for wᵀu below about
/// -17 (float32) m rounds to -1 and 1 + ûᵀψ to 0 where h' = 1, a log of 0. The sum is zero only where tanh is exactly 0
/// and softplus(wᵀu) underflows (wᵀu below about -100 in float32, -740 in float64); no clamp is applied.
/// </para>
/// <para>
/// Initialization: a small u and w does not start the flow near the identity, because the invertibility fix then
/// dominates: with wᵀu near 0, wᵀû = m(0) = log 2 - 1, so each step contracts z by a factor log 2 along w and its
/// log-determinant is near log(log 2) = -0.37 however small u and w are. Instead each step starts with m(wᵀu) = 0:
/// w is a random unit vector, u = log(e - 1) w + ε with ε drawn from N(0, 0.01² I) and projected orthogonal to w, and
/// b = 0. Then û = ε (the fix is inactive), every log-determinant is 0 and f(z) = z + ε tanh(wᵀz) moves z by at most
/// ||ε||. The draws use TorchSharp's global generator, so torch.manual_seed makes them reproducible.
/// </para>
/// <para>
/// Parameters, in parameters() and state_dict: <c>steps.{k}.u</c> [D], <c>steps.{k}.w</c> [D] and <c>steps.{k}.b</c> [1]
/// for k = 0..K-1, in that order; <see cref="ParameterCount"/> gives their number, K * (2 D + 1).
/// </para>
/// </remarks>
/// <remarks>Generated models call this; it is public for them, and hidden from IntelliSense because user code has no need of it.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class PlanarFlow : nn.Module<Tensor, (Tensor Z, Tensor LogDet)>
{
    /// <summary>log(e - 1): softplus of it is 1, so m(a) = -1 + softplus(a) is 0 there.</summary>
    private const double LogEMinusOne = 0.54132485461291810;

    private const double InitialPerturbation = 0.01;

    // RegisterComponents names the steps' parameters after this field: "steps.0.u", ...
    private readonly ModuleList<Step> steps;

    /// <summary>Creates the steps' parameters, near the identity (see the remarks), and registers them.</summary>
    /// <param name="name">The module's name.</param>
    /// <param name="steps">K, the number of planar steps, at least 1.</param>
    /// <param name="latentSize">D, the dimension of z, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is less than 1; the exception names it and gives its value.</exception>
    public PlanarFlow(string name, int steps, int latentSize) : base(name)
    {
        RequireSizes(steps, latentSize);
        Steps = steps;
        LatentSize = latentSize;
        var created = new Step[steps];
        for (var k = 0; k < steps; k++) created[k] = new Step(latentSize);
        this.steps = nn.ModuleList(created);
        RegisterComponents();
    }

    /// <summary>K, the number of planar steps.</summary>
    public int Steps { get; }

    /// <summary>D, the dimension of z.</summary>
    public int LatentSize { get; }

    /// <summary>Trainable parameters of a flow with these sizes: u and w (D each) and b (1) per step, K * (2 D + 1).</summary>
    /// <param name="steps">K, at least 1.</param>
    /// <param name="latentSize">D, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is less than 1.</exception>
    public static long ParameterCount(int steps, int latentSize)
    {
        RequireSizes(steps, latentSize);
        return (long)steps * (2L * latentSize + 1);
    }

    /// <summary>Runs z through the K steps.</summary>
    /// <param name="z">Points, shape [..., D], in the dtype of the parameters.</param>
    /// <returns>
    /// Z = f_K(...f_1(z)), the shape of <paramref name="z"/>, and LogDet = sum_k log|det ∂f_k/∂z_(k-1)|, the shape of
    /// <paramref name="z"/> without its last dimension.
    /// </returns>
    public override (Tensor Z, Tensor LogDet) forward(Tensor z)
    {
        using var scope = NewDisposeScope();
        var current = z;
        Tensor? logDet = null;
        foreach (var step in steps)
        {
            var (next, stepLogDet) = step.Apply(current);
            current = next;
            logDet = logDet is null ? stepLogDet : logDet.Plus_(stepLogDet);
        }
        return (current.MoveToOuterDisposeScope(), logDet!.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Each step's w [D], b [1], û [D] and softplus(wᵀu) [] in order, for the ONNX exporter: with the weights fixed, û
    /// and softplus(wᵀu) are constants of the exported graph. The caller disposes the tensors.
    /// </summary>
    internal (Tensor W, Tensor B, Tensor UHat, Tensor SoftplusWu)[] EffectiveSteps()
    {
        using var noGrad = no_grad();
        var result = new (Tensor, Tensor, Tensor, Tensor)[Steps];
        for (var k = 0; k < Steps; k++) result[k] = steps[k].Effective();
        return result;
    }

    private static void RequireSizes(int steps, int latentSize)
    {
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "A flow needs at least one step.");
        if (latentSize < 1) throw new ArgumentOutOfRangeException(nameof(latentSize), latentSize, "The latent space needs at least one dimension.");
    }

    /// <summary>One planar step's parameters and its map.</summary>
    private sealed class Step : nn.Module
    {
        // Named as in the paper; RegisterComponents takes the field names. Not readonly, as Module.to replaces them.
        private Parameter u;
        private Parameter w;
        private Parameter b;

        public Step(int latentSize) : base("PlanarStep")
        {
            using (no_grad())
            {
                // See the class remarks: w a random unit vector, u = log(e - 1) w + (a small vector orthogonal to w).
                // Temporaries are disposed one by one: a dispose scope would also take the parameters made from them.
                using var scale = InitialPerturbation.ToScalar();
                using var logEMinusOne = LogEMinusOne.ToScalar();
                using var direction = randn(latentSize);
                using (var norm = direction.norm()) direction.div_(norm);
                using var perturbation = randn(latentSize).mul_(scale);
                using (var overlap = perturbation.dot(direction))
                using (var along = direction.mul(overlap))
                    perturbation.sub_(along);
                w = OwnedParameter.From(direction.clone());
                u = OwnedParameter.From(direction.mul(logEMinusOne).Plus_(perturbation));
                b = OwnedParameter.From(zeros(1));
            }
            RegisterComponents();
        }

        /// <summary>
        /// The step's map as the ONNX exporter writes it: w, b, the invertible û and softplus(wᵀu), each a new tensor
        /// the caller disposes, computed by the same code as <see cref="Apply"/>.
        /// </summary>
        public (Tensor W, Tensor B, Tensor UHat, Tensor SoftplusWu) Effective()
        {
            using var scope = NewDisposeScope();
            var (uHat, softplusWu) = Invertible();
            return (w.alias().MoveToOuterDisposeScope(), b.alias().MoveToOuterDisposeScope(),
                uHat.MoveToOuterDisposeScope(), softplusWu.MoveToOuterDisposeScope());
        }

        /// <summary>û = u + (m(wᵀu) - wᵀu) w / ||w||², m(a) = -1 + softplus(a), and softplus(wᵀu) itself.</summary>
        private (Tensor UHat, Tensor SoftplusWu) Invertible()
        {
            // The parameters' tensors are tiny ([D] and scalars): out of place, so every backward sees its inputs as they were.
            var wu = w.dot(u);
            // softplus(a) as -log sigmoid(-a): stable at both ends, and no per-call native Scalar for beta and threshold.
            var softplusWu = nn.functional.logsigmoid(wu.neg()).neg();
            var correction = softplusWu.sub(CachedScalars.One).sub(wu).div(w.dot(w));
            return (u.Plus(w.mul(correction)), softplusWu);
        }

        /// <summary>f(z) = z + û tanh(wᵀz + b) and log|1 + ûᵀψ|, computed as the class remarks explain.</summary>
        public (Tensor Z, Tensor LogDet) Apply(Tensor z)
        {
            var (uHat, softplusWu) = Invertible();
            var h = z.matmul(w).Plus_(b.squeeze(0)).tanh();
            var hSquared = h.pow(CachedScalars.Two);
            // tanh² + (1 - tanh²) softplus(wᵀu) = 1 + ûᵀψ, without the cancellation of adding ûᵀψ to 1.
            var determinant = hSquared.neg().Plus_(CachedScalars.One).mul(softplusWu).Plus_(hSquared);
            return (h.unsqueeze(-1).mul(uHat).Plus_(z), determinant.log());
        }
    }
}
