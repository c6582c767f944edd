using System;
using VaeGen.Maths;
using static TorchSharp.torch;

namespace VaeGen.Export;

// The flows of the posterior as graph nodes. With the weights fixed, what a flow derives from its parameters in every
// pass (a planar step's invertible û, an IAF layer's masked weight) is computed once here, by the flow's own code, and
// stored as a constant.
public sealed partial class OnnxGraph
{
    /// <summary>
    /// The planar flow of <see cref="Maths.PlanarFlow"/>: per step z' = z + û tanh(wᵀz + b) and
    /// log|det| = log(tanh² + (1 - tanh²) softplus(wᵀu)); û and softplus(wᵀu) are constants named
    /// <c>{name}.steps.{k}.u_hat</c> and <c>{name}.steps.{k}.softplus_wu</c>.
    /// </summary>
    /// <param name="z">Points, [batch, D].</param>
    /// <param name="flow">The model's flow.</param>
    /// <param name="name">Its state_dict path, e.g. "flow".</param>
    /// <returns>z after the last step, and the summed log-determinants, [batch].</returns>
    public (OnnxValue Z, OnnxValue LogDet) PlanarFlow(OnnxValue z, PlanarFlow flow, string name)
    {
        ArgumentNullException.ThrowIfNull(flow);
        var steps = flow.EffectiveSteps();
        try
        {
            var current = z;
            OnnxValue? logDet = null;
            for (var k = 0; k < steps.Length; k++)
            {
                var prefix = $"{name}.steps.{k}";
                var w = Parameter(prefix + ".w");
                var b = Parameter(prefix + ".b");
                var uHat = Constant(prefix + ".u_hat", steps[k].UHat);
                var softplusWu = Constant(prefix + ".softplus_wu", steps[k].SoftplusWu);
                // h = tanh(wᵀz + b): [batch, D] times [D] gives [batch], plus b [1].
                var h = Unary("Tanh", Add(Node("MatMul", new[] { current, w }), b));
                var hSquared = Square(h);
                // tanh² + (1 - tanh²) softplus(wᵀu) = 1 + ûᵀψ, the determinant, without cancellation.
                var determinant = Add(Mul(Add(Unary("Neg", hSquared), 1.0), softplusWu), hSquared);
                current = Add(Mul(Unsqueeze(h, -1), uHat), current);
                var stepLogDet = Unary("Log", determinant);
                logDet = logDet is { } sum ? Add(sum, stepLogDet) : stepLogDet;
            }
            return (current, logDet!.Value);
        }
        finally
        {
            foreach (var step in steps)
            {
                step.W.Dispose();
                step.B.Dispose();
                step.UHat.Dispose();
                step.SoftplusWu.Dispose();
            }
        }
    }

    /// <summary>
    /// The inverse autoregressive flow of <see cref="Maths.InverseAutoregressiveFlow"/>: per step, the MADE network
    /// m, s = heads(ELU(W2 ELU(W1 z + b1) + b2)) with masked weights (constants <c>{name}.steps.{k}.hidden1.masked_weight</c>, ...),
    /// z' = (z - m) sigmoid(s) + m and log|det| = sum_j log sigmoid(s_j); the order of the variables reversed between steps.
    /// </summary>
    /// <param name="z">Points, [batch, D].</param>
    /// <param name="flow">The model's flow.</param>
    /// <param name="name">Its state_dict path, e.g. "flow".</param>
    /// <returns>z after the last step, and the summed log-determinants, [batch].</returns>
    public (OnnxValue Z, OnnxValue LogDet) InverseAutoregressiveFlow(OnnxValue z, InverseAutoregressiveFlow flow, string name)
    {
        ArgumentNullException.ThrowIfNull(flow);
        var steps = flow.MaskedLayers();
        try
        {
            var reversed = new long[flow.LatentSize];
            for (var j = 0; j < reversed.Length; j++) reversed[j] = reversed.Length - 1 - j;
            var current = z;
            OnnxValue? logDet = null;
            for (var k = 0; k < steps.Length; k++)
            {
                if (k > 0) current = Node("Gather", new[] { current, Int64s(reversed) }, Attribute("axis", 1L));
                var prefix = $"{name}.steps.{k}";
                OnnxValue Masked(OnnxValue input, int layer, string layerName) =>
                    Node("Gemm", new[] { input, Constant($"{prefix}.{layerName}.masked_weight", steps[k][layer].Weight), Parameter($"{prefix}.{layerName}.bias") },
                        Attribute("transB", 1L));
                var first = Activation(Masked(current, 0, "hidden1"), VaeGen.Activation.ELU);
                var second = Activation(Masked(first, 1, "hidden2"), VaeGen.Activation.ELU);
                var m = Masked(second, 2, "shift");
                var s = Masked(second, 3, "gate");
                current = Add(Mul(Sub(current, m), Unary("Sigmoid", s)), m);
                // log sigmoid(s) = -softplus(-s), stable at both ends.
                var stepLogDet = SumLast(Unary("Neg", Unary("Softplus", Unary("Neg", s))));
                logDet = logDet is { } sum ? Add(sum, stepLogDet) : stepLogDet;
            }
            return (current, logDet!.Value);
        }
        finally
        {
            foreach (var layers in steps)
            foreach (var (weight, bias) in layers)
            {
                weight.Dispose();
                bias.Dispose();
            }
        }
    }
}
