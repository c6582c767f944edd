using System;
using System.Linq;
using TorchSharp;
using VaeGen.Maths;
using Xunit;
using static TorchSharp.torch;

namespace VaeGen.Tests.Distributions;

/// <summary>
/// InverseAutoregressiveFlow: its log-determinant against the autograd Jacobian, the autoregressive (triangular) structure
/// of a step, the flip between steps, D = 1, the masks, its parameters and their gradients, and its argument checks.
/// </summary>
public sealed class InverseAutoregressiveFlowTests
{
    private static readonly string[] LayerNames = { "hidden1", "hidden2", "shift", "gate" };

    private static string[] StepNames(int step) =>
        LayerNames.SelectMany(l => new[] { $"steps.{step}.{l}.weight", $"steps.{step}.{l}.bias" }).ToArray();

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    [Theory]
    [InlineData(1, 4)]
    [InlineData(2, 5)]
    [InlineData(5, 7)]
    [InlineData(5, 2)]
    public void Log_determinant_is_that_of_the_autograd_Jacobian_with_random_parameters(int latent, int hidden)
    {
        using var scope = NewDisposeScope();
        const int rows = 6;
        using var flow = new InverseAutoregressiveFlow("flow", 3, latent, hidden);
        flow.to(ScalarType.Float64);
        Draws.Randomize(flow, 0.7, (ulong)(70 + latent * 10 + hidden));
        var z = Hand.Tensor(Draws.Normal(new Random(71), rows * latent, 1.5), rows, latent);

        var (output, logDet) = flow.forward(z);
        Assert.Equal(new long[] { rows, latent }, output.shape);
        Assert.Equal(new long[] { rows }, logDet.shape);
        var expected = Jacobian.Of(x => flow.forward(x).Z, z).Select(j => Jacobian.SignedLogDeterminant(j).LogAbs).ToArray();
        Assert.True(expected.Any(e => Math.Abs(e) > 0.1), "the random flow is too close to volume-preserving to test anything");
        Hand.Close(expected, Hand.Values(logDet), 1e-10, 1e-10, $"D = {latent}, H = {hidden} log|det J|");

        var (grouped, groupedLogDet) = flow.forward(z.reshape(3, 2, latent));
        Assert.Equal(new long[] { 3, 2 }, groupedLogDet.shape);
        Hand.Close(Hand.Values(output), Hand.Values(grouped), 1e-14, 1e-14, "Z");
        Hand.Close(Hand.Values(logDet), Hand.Values(groupedLogDet), 1e-14, 1e-14, "LogDet");
    }

    [Fact]
    public void One_step_is_autoregressive_its_Jacobian_lower_triangular_with_the_gates_on_the_diagonal()
    {
        using var scope = NewDisposeScope();
        const int latent = 5, rows = 4;
        using var flow = new InverseAutoregressiveFlow("flow", 1, latent, 12);
        flow.to(ScalarType.Float64);
        Draws.Randomize(flow, 0.7, 72);
        var z = Hand.Tensor(Draws.Normal(new Random(73), rows * latent, 1.5), rows, latent);
        var logDet = Hand.Values(flow.forward(z).LogDet);
        var jacobians = Jacobian.Of(x => flow.forward(x).Z, z);
        for (var n = 0; n < rows; n++)
        {
            var diagonal = 0.0;
            for (var i = 0; i < latent; i++)
            {
                // Z_i = sigma_i z_i + (1 - sigma_i) m_i with (m_i, s_i) functions of z_1..z_(i-1) only.
                for (var j = i + 1; j < latent; j++) Assert.True(jacobians[n][i, j] == 0, $"dZ_{i}/dz_{j} = {jacobians[n][i, j]} in row {n}");
                for (var j = 0; j < i; j++) Assert.True(Math.Abs(jacobians[n][i, j]) > 1e-9, $"dZ_{i}/dz_{j} = 0 in row {n}: over-masked");
                Assert.InRange(jacobians[n][i, i], 1e-9, 1 - 1e-9);
                diagonal += Math.Log(jacobians[n][i, i]);
            }
            Hand.Close(diagonal, logDet[n], 1e-12, 1e-12, $"sum log sigma, row {n}");
        }
    }

    [Fact]
    public void Variables_are_reversed_between_steps_and_not_after_the_last()
    {
        using var scope = NewDisposeScope();
        const int latent = 4;
        using var two = new InverseAutoregressiveFlow("flow", 2, latent, 6);
        using var first = new InverseAutoregressiveFlow("flow", 1, latent, 6);
        using var second = new InverseAutoregressiveFlow("flow", 1, latent, 6);
        foreach (var module in new nn.Module[] { two, first, second }) module.to(ScalarType.Float64);
        Draws.Randomize(two, 0.7, 74);
        using (no_grad())
        {
            foreach (var name in StepNames(0))
            {
                Draws.Named(first, name).copy_(Draws.Named(two, name));
                Draws.Named(second, name).copy_(Draws.Named(two, name.Replace("steps.0.", "steps.1.")));
            }
        }
        var z = Hand.Tensor(Draws.Normal(new Random(75), 3 * latent, 1.5), 3, latent);
        var (output, logDet) = two.forward(z);
        var (middle, firstLogDet) = first.forward(z);
        var (expected, secondLogDet) = second.forward(middle.flip(-1));
        Hand.Close(Hand.Values(expected), Hand.Values(output), 1e-14, 1e-14, "Z");
        Hand.Close(Hand.Values(firstLogDet.Plus(secondLogDet)), Hand.Values(logDet), 1e-14, 1e-14, "LogDet");
        // With the flip, the two-step Jacobian is no longer triangular.
        Assert.Contains(Jacobian.Of(x => two.forward(x).Z, z), j => Math.Abs(j[0, latent - 1]) > 1e-9);
    }

    [Fact]
    public void With_one_dimension_the_step_is_its_biases_alone()
    {
        using var scope = NewDisposeScope();
        using var flow = new InverseAutoregressiveFlow("flow", 1, 1, 4);
        flow.to(ScalarType.Float64);
        Draws.Randomize(flow, 1.0, 76);
        var m = Draws.Parameter(flow, "steps.0.shift.bias")[0];
        var s = Draws.Parameter(flow, "steps.0.gate.bias")[0];
        var zValues = new[] { -2.0, 0.3, 1.7 };
        var (output, logDet) = flow.forward(Hand.Tensor(zValues, 3, 1));
        Hand.Close(zValues.Select(z => Sigmoid(s) * z + (1 - Sigmoid(s)) * m).ToArray(), Hand.Values(output), 1e-14, 1e-14, "Z");
        Hand.Close(Enumerable.Repeat(Math.Log(Sigmoid(s)), 3).ToArray(), Hand.Values(logDet), 1e-14, 1e-14, "LogDet");
    }

    [Fact]
    public void Hidden_degrees_cycle_over_one_to_D_minus_one()
    {
        Assert.Equal(new[] { 1, 2, 3, 4, 1, 2, 3 }, InverseAutoregressiveFlow.HiddenDegrees(5, 7));
        Assert.Equal(new[] { 1, 1, 1 }, InverseAutoregressiveFlow.HiddenDegrees(2, 3));
        Assert.Equal(new[] { 1, 1 }, InverseAutoregressiveFlow.HiddenDegrees(1, 2));
    }

    [Fact]
    public void Masked_weights_get_no_gradient_and_allowed_ones_do()
    {
        using var scope = NewDisposeScope();
        const int latent = 4, hidden = 6;
        using var flow = new InverseAutoregressiveFlow("flow", 1, latent, hidden);
        flow.to(ScalarType.Float64);
        Draws.Randomize(flow, 0.7, 77);
        var (output, logDet) = flow.forward(Hand.Tensor(Draws.Normal(new Random(78), 5 * latent, 1.5), 5, latent));
        output.square().sum().Plus(logDet.sum()).backward();

        // MADE's rule written out again: inputs and outputs 1..D, hidden units 1 + (k mod (D - 1)).
        var h = Enumerable.Range(0, hidden).Select(k => 1 + k % (latent - 1)).ToArray();
        var allowed = new (string Layer, int Rows, int Columns, Func<int, int, bool> Connected)[]
        {
            ("hidden1", hidden, latent, (k, j) => h[k] >= j + 1),
            ("hidden2", hidden, hidden, (k, k0) => h[k] >= h[k0]),
            ("shift", latent, hidden, (i, k) => i + 1 > h[k]),
            ("gate", latent, hidden, (i, k) => i + 1 > h[k]),
        };
        foreach (var (layer, rowCount, columns, connected) in allowed)
        {
            var gradient = Hand.Values(Draws.Named(flow, $"steps.0.{layer}.weight").grad!);
            for (var r = 0; r < rowCount; r++)
            for (var c = 0; c < columns; c++)
            {
                var value = gradient[r * columns + c];
                if (connected(r, c)) Assert.True(value != 0, $"{layer}[{r}, {c}] is allowed but got no gradient");
                else Assert.True(value == 0, $"{layer}[{r}, {c}] is masked but got gradient {value}");
            }
        }
    }

    [Fact]
    public void Parameters_are_four_linear_layers_per_step_masks_stay_out_and_the_count_is_the_formula()
    {
        using var flow = new InverseAutoregressiveFlow("flow", 2, 3, 5);
        var names = StepNames(0).Concat(StepNames(1)).ToArray();
        Assert.Equal(names, flow.named_parameters().Select(p => p.name).ToArray());
        Assert.Equal(names, flow.state_dict().Keys.ToArray());
        Assert.Empty(flow.named_buffers());
        Assert.Equal(new long[] { 5, 3 }, Draws.Named(flow, "steps.1.hidden1.weight").shape);
        Assert.Equal(new long[] { 5, 5 }, Draws.Named(flow, "steps.1.hidden2.weight").shape);
        Assert.Equal(new long[] { 3, 5 }, Draws.Named(flow, "steps.1.shift.weight").shape);
        Assert.Equal(new long[] { 3, 5 }, Draws.Named(flow, "steps.1.gate.weight").shape);
        Assert.Equal(2 * (3 * 3 * 5 + 5 * 5 + 2 * 5 + 2 * 3), InverseAutoregressiveFlow.ParameterCount(2, 3, 5));
        Assert.Equal(InverseAutoregressiveFlow.ParameterCount(2, 3, 5), flow.parameters().Sum(p => p.numel()));
        Assert.Equal((2, 3, 5), (flow.Steps, flow.LatentSize, flow.HiddenSize));
        // The gate starts at sigmoid(2) = 0.88, near the identity.
        Assert.All(Draws.Parameter(flow, "steps.0.gate.bias").Concat(Draws.Parameter(flow, "steps.1.gate.bias")), b => Assert.Equal(2.0, b));
    }

    [Fact]
    public void Float32_then_float64_then_float32_again_all_run()
    {
        using var scope = NewDisposeScope();
        using var flow = new InverseAutoregressiveFlow("flow", 2, 3, 4);
        var z = torch.randn(5, 3);
        var single = flow.forward(z);
        Assert.Equal(ScalarType.Float32, single.Z.dtype);
        // sigma in (0, 1), so every dimension's log-determinant is negative; at the start sigma is near 0.88.
        Assert.All(Hand.Values(single.LogDet), v => Assert.InRange(v, 2 * 3 * Math.Log(0.5), 0));
        flow.to(ScalarType.Float64);
        var twice = flow.forward(z.to_type(ScalarType.Float64));
        Assert.Equal(ScalarType.Float64, twice.LogDet.dtype);
        Hand.Close(Hand.Values(single.LogDet), Hand.Values(twice.LogDet), 1e-5, 1e-5, "float32 against float64");
        flow.to(ScalarType.Float32);
        Assert.Equal(ScalarType.Float32, flow.forward(z).Z.dtype);
    }

    [Fact]
    public void Sizes_below_one_are_refused_with_their_name_and_value()
    {
        foreach (var (steps, latent, hidden, name, value) in new[]
                 {
                     (0, 3, 4, "steps", 0), (2, 0, 4, "latentSize", 0), (2, 3, 0, "hiddenSize", 0), (2, 3, -5, "hiddenSize", -5),
                 })
        {
            var error = Assert.Throws<ArgumentOutOfRangeException>(() => new InverseAutoregressiveFlow("flow", steps, latent, hidden));
            Assert.Equal(name, error.ParamName);
            Assert.Equal(value, error.ActualValue);
            Assert.Equal(name, Assert.Throws<ArgumentOutOfRangeException>(() => InverseAutoregressiveFlow.ParameterCount(steps, latent, hidden)).ParamName);
        }
    }
}
