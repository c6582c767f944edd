using System;
using System.Linq;
using TorchSharp;
using VaeGen.Maths;
using Xunit;
using static TorchSharp.torch;

namespace VaeGen.Tests.Distributions;

/// <summary>PseudoInputs: parameters and their count, initialization, clipping and its gradient, conditions, argument checks.</summary>
public sealed class PseudoInputsTests
{
    [Fact]
    public void Parameters_are_inputs_and_condition_logits_only_with_a_condition_and_their_count_is_the_formula()
    {
        using var plain = new PseudoInputs("pseudo", 6, 10, unitInterval: true);
        Assert.Equal(new[] { "inputs" }, plain.state_dict().Keys.ToArray());
        Assert.Equal(new[] { "inputs" }, plain.named_parameters().Select(p => p.name).ToArray());
        Assert.Equal(new long[] { 6, 10 }, plain.Inputs.shape);
        Assert.Null(plain.ConditionLogits);
        Assert.Equal(6 * 10, PseudoInputs.ParameterCount(6, 10, 0));
        Assert.Equal(PseudoInputs.ParameterCount(6, 10, 0), plain.parameters().Sum(p => p.numel()));

        using var conditional = new PseudoInputs("pseudo", 6, 10, unitInterval: false, conditionSize: 4, conditionIsClassLabel: true);
        Assert.Equal(new[] { "inputs", "condition_logits" }, conditional.state_dict().Keys.ToArray());
        Assert.Equal(new[] { "inputs", "condition_logits" }, conditional.named_parameters().Select(p => p.name).ToArray());
        Assert.Equal(new long[] { 6, 4 }, conditional.ConditionLogits!.shape);
        Assert.Equal(6 * (10 + 4), PseudoInputs.ParameterCount(6, 10, 4));
        Assert.Equal(PseudoInputs.ParameterCount(6, 10, 4), conditional.parameters().Sum(p => p.numel()));
        Assert.Equal((6, 10, 4), (conditional.Count, conditional.InputSize, conditional.ConditionSize));
    }

    [Fact]
    public void Unit_interval_inputs_start_inside_the_interval_around_one_half_and_others_standard_normal()
    {
        torch.manual_seed(31);
        using var unit = new PseudoInputs("pseudo", 20, 500, unitInterval: true);
        torch.manual_seed(31);
        using var again = new PseudoInputs("pseudo", 20, 500, unitInterval: true);
        var values = Hand.Values(unit.Inputs);
        Assert.Equal(values, Hand.Values(again.Inputs));
        Assert.InRange(values.Average(), 0.495, 0.505);
        Assert.InRange(StandardDeviation(values), 0.095, 0.105);
        Assert.All(values, v => Assert.InRange(v, 1e-3, 1 - 1e-3));
        // Nothing is clipped at the start, so every value gets a gradient.
        Assert.Equal(values, Hand.Values(unit.Values()));

        using var free = new PseudoInputs("pseudo", 20, 500, unitInterval: false);
        var freeValues = Hand.Values(free.Inputs);
        Assert.InRange(freeValues.Average(), -0.05, 0.05);
        Assert.InRange(StandardDeviation(freeValues), 0.95, 1.05);
        Assert.Contains(freeValues, v => v < 0);
        Assert.Equal(freeValues, Hand.Values(free.Values()));
    }

    [Fact]
    public void Unit_interval_values_are_clipped_and_pass_the_gradient_only_inside()
    {
        using var scope = NewDisposeScope();
        using var pseudo = new PseudoInputs("pseudo", 2, 3, unitInterval: true);
        using (no_grad()) pseudo.Inputs.copy_(torch.tensor(new float[] { -0.3f, 0.2f, 0.9f, 1.4f, 0.5f, 2.0f }, 2, 3));
        var values = pseudo.Values();
        Hand.Close(new[] { 0, 0.2, 0.9, 1, 0.5, 1 }, Hand.Values(values), 1e-7, 0, "hardtanh");
        values.sum().backward();
        Assert.Equal(new double[] { 0, 1, 1, 0, 1, 0 }, Hand.Values(pseudo.Inputs.grad!));
    }

    [Fact]
    public void Free_values_are_the_parameter_with_its_gradient_and_disposing_them_leaves_the_parameter()
    {
        using var scope = NewDisposeScope();
        using var pseudo = new PseudoInputs("pseudo", 2, 3, unitInterval: false);
        using (no_grad()) pseudo.Inputs.copy_(torch.tensor(new float[] { -0.3f, 0.2f, 0.9f, 1.4f, 0.5f, 2.0f }, 2, 3));
        using (var values = pseudo.Values())
        {
            Assert.Equal(Hand.Values(pseudo.Inputs), Hand.Values(values));
            values.mul(values).sum().backward();
        }
        Hand.Close(new[] { -0.6, 0.4, 1.8, 2.8, 1.0, 4.0 }, Hand.Values(pseudo.Inputs.grad!), 1e-6, 0, "d/du of sum u^2");
        Assert.Equal(new long[] { 2, 3 }, pseudo.Inputs.shape);
    }

    [Fact]
    public void Class_conditions_are_soft_one_hots_that_start_uniform_and_features_are_raw()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(32);
        using var labelled = new PseudoInputs("pseudo", 5, 3, unitInterval: true, conditionSize: 4, conditionIsClassLabel: true);
        Assert.All(Hand.Values(labelled.ConditionLogits!), v => Assert.Equal(0.0, v));
        Assert.All(Hand.Values(labelled.Conditions()), v => Assert.Equal(0.25, v, 6));
        using (no_grad()) labelled.ConditionLogits!.normal_(0, 2);
        var conditions = labelled.Conditions();
        Assert.Equal(new long[] { 5, 4 }, conditions.shape);
        Assert.All(Hand.Values(conditions.sum(-1)), s => Assert.Equal(1.0, s, 6));
        Assert.Contains(Hand.Values(conditions), v => Math.Abs(v - 0.25) > 0.05);
        conditions.select(-1, 0).sum().backward();
        Assert.True(labelled.ConditionLogits!.grad!.abs().max().item<float>() > 1e-3, "the condition logits got no gradient");

        using var featured = new PseudoInputs("pseudo", 50, 3, unitInterval: true, conditionSize: 40);
        var features = Hand.Values(featured.ConditionLogits!);
        Assert.Equal(features, Hand.Values(featured.Conditions()));
        Assert.InRange(StandardDeviation(features), 0.9, 1.1);
    }

    [Fact]
    public void Conditions_without_a_condition_and_bad_sizes_are_refused_with_their_name()
    {
        using var plain = new PseudoInputs("pseudo", 2, 3, unitInterval: true);
        Assert.Throws<InvalidOperationException>(() => plain.Conditions());
        foreach (var (count, inputSize, conditionSize, name, value) in new[]
                 {
                     (0, 3, 0, "count", 0), (2, 0, 0, "inputSize", 0), (2, 3, -1, "conditionSize", -1),
                 })
        {
            var error = Assert.Throws<ArgumentOutOfRangeException>(() => new PseudoInputs("pseudo", count, inputSize, true, conditionSize));
            Assert.Equal(name, error.ParamName);
            Assert.Equal(value, error.ActualValue);
            Assert.Equal(name, Assert.Throws<ArgumentOutOfRangeException>(() => PseudoInputs.ParameterCount(count, inputSize, conditionSize)).ParamName);
        }
        Assert.Equal("conditionIsClassLabel",
            Assert.Throws<ArgumentException>(() => new PseudoInputs("pseudo", 2, 3, true, 0, conditionIsClassLabel: true)).ParamName);
    }

    private static double StandardDeviation(double[] values)
    {
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
    }
}
