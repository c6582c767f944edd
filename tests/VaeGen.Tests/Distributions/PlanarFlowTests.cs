using System;
using System.Linq;
using TorchSharp;
using VaeGen.Maths;
using Xunit;
using static TorchSharp.torch;

namespace VaeGen.Tests.Distributions;

/// <summary>
/// PlanarFlow: its log-determinant against the autograd Jacobian, the invertibility fix, its start near the identity,
/// its parameters and their gradients, and its argument checks.
/// </summary>
public sealed class PlanarFlowTests
{
    /// <summary>log(e - 1), where softplus is 1.</summary>
    private static readonly double LogEMinusOne = Math.Log(Math.E - 1);

    private static (double[] U, double[] W, double B) StepParameters(PlanarFlow flow, int step) =>
        (Draws.Parameter(flow, $"steps.{step}.u"), Draws.Parameter(flow, $"steps.{step}.w"), Draws.Parameter(flow, $"steps.{step}.b")[0]);

    private static double Dot(double[] a, double[] b) => a.Select((v, j) => v * b[j]).Sum();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public void Log_determinant_is_that_of_the_autograd_Jacobian_with_random_parameters(int latent)
    {
        using var scope = NewDisposeScope();
        const int rows = 6;
        using var flow = new PlanarFlow("flow", 3, latent);
        flow.to(ScalarType.Float64);
        Draws.Randomize(flow, 1.0, (ulong)(40 + latent));
        var z = Hand.Tensor(Draws.Normal(new Random(41), rows * latent, 1.5), rows, latent);

        var (output, logDet) = flow.forward(z);
        Assert.Equal(new long[] { rows, latent }, output.shape);
        Assert.Equal(new long[] { rows }, logDet.shape);
        var jacobians = Jacobian.Of(x => flow.forward(x).Z, z);
        var expected = jacobians.Select(j => Jacobian.SignedLogDeterminant(j).LogAbs).ToArray();
        Assert.True(expected.Any(e => Math.Abs(e) > 0.1), "the random flow is too close to volume-preserving to test anything");
        Hand.Close(expected, Hand.Values(logDet), 1e-10, 1e-10, $"D = {latent} log|det J|");

        // Extra leading dimensions: the same values, reshaped.
        var (grouped, groupedLogDet) = flow.forward(z.reshape(2, 3, latent));
        Assert.Equal(new long[] { 2, 3, latent }, grouped.shape);
        Assert.Equal(new long[] { 2, 3 }, groupedLogDet.shape);
        Hand.Close(Hand.Values(output), Hand.Values(grouped), 1e-14, 1e-14, "Z");
        Hand.Close(Hand.Values(logDet), Hand.Values(groupedLogDet), 1e-14, 1e-14, "LogDet");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    public void Invertibility_fix_keeps_every_determinant_positive_for_large_random_parameters(int latent)
    {
        using var scope = NewDisposeScope();
        const int rows = 60;
        var random = new Random(50 + latent);
        var unfixedNegative = 0;
        for (var seed = 0; seed < 6; seed++)
        {
            using var flow = new PlanarFlow("flow", 1, latent);
            flow.to(ScalarType.Float64);
            Draws.Randomize(flow, 3.0, (ulong)(100 * latent + seed));
            var (u, w, b) = StepParameters(flow, 0);
            // Half the points on the hyperplane w'z + b = 0, where h' = 1 and the determinant is smallest.
            var zValues = Draws.Normal(random, rows * latent, 3.0);
            for (var n = 0; n < rows / 2; n++)
            {
                var offset = (Dot(Hand.Row(zValues, n, latent), w) + b) / Dot(w, w);
                for (var j = 0; j < latent; j++) zValues[n * latent + j] -= offset * w[j];
            }
            var z = Hand.Tensor(zValues, rows, latent);

            var logDet = Hand.Values(flow.forward(z).LogDet);
            var jacobians = Jacobian.Of(x => flow.forward(x).Z, z);
            for (var n = 0; n < rows; n++)
            {
                var (sign, logAbs) = Jacobian.SignedLogDeterminant(jacobians[n]);
                Assert.Equal(1, sign);
                // Near-singular Jacobians (det down to 1e-9 here) lose digits in the elimination, not in the flow: allow
                // the reference its own rounding, 1e-13 times Hadamard's ratio.
                Hand.Close(logAbs, logDet[n], 1e-9 + 1e-13 * Jacobian.HadamardRatio(jacobians[n], logAbs), 0, $"seed {seed} log|det J|[{n}]");
            }

            // Without the fix, 1 + u'psi with psi = (1 - tanh^2(w'z + b)) w: negative somewhere, so the fix mattered.
            for (var n = 0; n < rows; n++)
            {
                var t = Math.Tanh(Dot(Hand.Row(zValues, n, latent), w) + b);
                if (1 + (1 - t * t) * Dot(u, w) < 0) unfixedNegative++;
            }
        }
        Assert.True(unfixedNegative > 0, "no point had a negative determinant without the fix: the parameters test nothing");
    }

    [Fact]
    public void Log_determinant_stays_finite_where_one_plus_u_hat_psi_cancels_to_zero()
    {
        using var scope = NewDisposeScope();
        // w = e1, u = -50 e1, b = 0, z = 0: m(w'u) = -1 + softplus(-50) rounds to -1 even in double, so 1 + û'psi
        // computed directly is 0 and its log -infinity; the true value is log softplus(-50), about -50.
        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64 })
        {
            using var flow = new PlanarFlow("flow", 1, 2);
            flow.to(dtype);
            using (no_grad())
            {
                Draws.Named(flow, "steps.0.u").copy_(torch.tensor(new[] { -50.0, 0 }));
                Draws.Named(flow, "steps.0.w").copy_(torch.tensor(new[] { 1.0, 0 }));
                Draws.Named(flow, "steps.0.b").zero_();
            }
            var (output, logDet) = flow.forward(zeros(1, 2, dtype: dtype));
            const double expected = -50; // log softplus(-50) = log log(1 + e^-50) = -50 - e^-50 / 2 + ...
            Hand.Close(expected, Hand.Values(logDet)[0], 1e-4, 1e-6, $"{dtype} LogDet");
            Assert.Equal(new double[] { 0, 0 }, Hand.Values(output));
        }
    }

    [Fact]
    public void Each_step_starts_with_unit_w_the_fix_inactive_and_the_flow_near_the_identity()
    {
        using var scope = NewDisposeScope();
        const int steps = 4, latent = 6, rows = 50;
        using var flow = new PlanarFlow("flow", steps, latent);
        for (var k = 0; k < steps; k++)
        {
            var (u, w, b) = StepParameters(flow, k);
            Hand.Close(1, Math.Sqrt(Dot(w, w)), 1e-6, 0, $"|w_{k}|");
            Hand.Close(LogEMinusOne, Dot(w, u), 1e-6, 0, $"w_{k}'u_{k}");
            Assert.Equal(0.0, b);
        }
        var z = torch.randn(rows, latent);
        var (output, logDet) = flow.forward(z);
        // A small u and w would instead give log(log 2) = -0.37 per step here.
        Assert.All(Hand.Values(logDet), v => Assert.True(Math.Abs(v) < 1e-5, $"LogDet {v}"));
        var moved = Hand.Values(output.sub(z).abs().max());
        Assert.InRange(moved[0], 1e-6, 0.1);
    }

    [Fact]
    public void Parameters_are_u_w_b_per_step_in_order_seeded_by_the_global_generator_and_counted_by_the_formula()
    {
        torch.manual_seed(61);
        using var flow = new PlanarFlow("flow", 2, 3);
        torch.manual_seed(61);
        using var again = new PlanarFlow("flow", 2, 3);
        var names = new[] { "steps.0.u", "steps.0.w", "steps.0.b", "steps.1.u", "steps.1.w", "steps.1.b" };
        Assert.Equal(names, flow.named_parameters().Select(p => p.name).ToArray());
        Assert.Equal(names, flow.state_dict().Keys.ToArray());
        Assert.Equal(new[] { 3L, 3, 1, 3, 3, 1 }, flow.parameters().Select(p => p.numel()).ToArray());
        Assert.Equal(2 * (2 * 3 + 1), PlanarFlow.ParameterCount(2, 3));
        Assert.Equal(PlanarFlow.ParameterCount(2, 3), flow.parameters().Sum(p => p.numel()));
        Assert.Equal((2, 3), (flow.Steps, flow.LatentSize));
        foreach (var name in names) Assert.Equal(Draws.Parameter(flow, name), Draws.Parameter(again, name));
        Assert.NotEqual(Draws.Parameter(flow, "steps.0.w"), Draws.Parameter(flow, "steps.1.w"));
    }

    [Fact]
    public void Gradients_reach_every_parameter()
    {
        using var scope = NewDisposeScope();
        using var flow = new PlanarFlow("flow", 3, 4);
        flow.to(ScalarType.Float64);
        Draws.Randomize(flow, 0.5, 62);
        var (output, logDet) = flow.forward(Hand.Tensor(Draws.Normal(new Random(63), 20, 1.5), 5, 4));
        output.square().sum().Plus(logDet.sum()).backward();
        foreach (var (name, parameter) in flow.named_parameters())
            Assert.True(parameter.grad is not null && parameter.grad.abs().max().item<double>() > 1e-6, $"{name} got no gradient");
    }

    [Fact]
    public void Sizes_below_one_are_refused_with_their_name_and_value()
    {
        foreach (var (steps, latent, name) in new[] { (0, 3, "steps"), (2, 0, "latentSize"), (2, -1, "latentSize") })
        {
            var error = Assert.Throws<ArgumentOutOfRangeException>(() => new PlanarFlow("flow", steps, latent));
            Assert.Equal(name, error.ParamName);
            Assert.Equal(name == "steps" ? steps : latent, error.ActualValue);
            Assert.Equal(name, Assert.Throws<ArgumentOutOfRangeException>(() => PlanarFlow.ParameterCount(steps, latent)).ParamName);
        }
    }
}
