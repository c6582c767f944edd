using System;
using System.Linq;
using Xunit;

namespace VaeGen.Tests;

/// <summary>
/// The generator reads [Vae(Likelihood = ...)] and [Encoder(Activation = ...)] as plain numbers and maps them through
/// its own internal copies of these enums (LikelihoodKind, ActivationKind, DataKindValue and ObjectiveKind in
/// generators/VaeGen.Generators/Model/Kinds.cs). Those copies are internal, so this test pins the runtime side to the
/// same literal names and values written out here; a renumbering or renaming on either side must update both.
/// </summary>
public sealed class EnumContractTests
{
    [Fact]
    public void Likelihood_has_exactly_the_names_and_values_the_generator_mirrors()
    {
        var expected = new (string Name, int Value)[]
        {
            ("Bernoulli", 0), ("Gaussian", 1), ("GaussianLearnedVariance", 2), ("Laplace", 3), ("LaplaceLearnedScale", 4),
            ("ContinuousBernoulli", 5), ("Categorical256", 6), ("Poisson", 7),
        };
        var actual = Enum.GetValues<Likelihood>().Select(v => (v.ToString(), (int)v)).ToArray();
        Assert.Equal(expected, actual);
        Assert.Equal(typeof(int), Enum.GetUnderlyingType(typeof(Likelihood)));
    }

    [Fact]
    public void Activation_has_exactly_the_names_and_values_the_generator_mirrors()
    {
        var expected = new (string Name, int Value)[]
        {
            ("ReLU", 0), ("LeakyReLU", 1), ("Tanh", 2), ("GELU", 3), ("SiLU", 4), ("ELU", 5), ("Softplus", 6), ("Sigmoid", 7), ("Identity", 8),
        };
        var actual = Enum.GetValues<Activation>().Select(v => (v.ToString(), (int)v)).ToArray();
        Assert.Equal(expected, actual);
        Assert.Equal(typeof(int), Enum.GetUnderlyingType(typeof(Activation)));
    }

    [Fact]
    public void Objective_has_exactly_the_names_and_values_the_generator_mirrors()
    {
        var expected = new (string Name, int Value)[] { ("Elbo", 0), ("ImportanceWeighted", 1) };
        var actual = Enum.GetValues<Objective>().Select(v => (v.ToString(), (int)v)).ToArray();
        Assert.Equal(expected, actual);
        Assert.Equal(typeof(int), Enum.GetUnderlyingType(typeof(Objective)));
    }

    [Fact]
    public void DataKind_has_exactly_the_names_and_values_the_generator_mirrors()
    {
        var expected = new (string Name, int Value)[]
        {
            ("Unspecified", 0), ("Binary", 1), ("UnitInterval", 2), ("Levels256", 3), ("Counts", 4), ("Real", 5),
        };
        var actual = Enum.GetValues<DataKind>().Select(v => (v.ToString(), (int)v)).ToArray();
        Assert.Equal(expected, actual);
        Assert.Equal(typeof(int), Enum.GetUnderlyingType(typeof(DataKind)));
    }

    [Fact]
    public void Attribute_defaults_are_Bernoulli_ReLU_one_sample_and_unit_variance()
    {
        var vae = new VaeAttribute(12, 3);
        Assert.Equal(Likelihood.Bernoulli, vae.Likelihood);
        Assert.Equal(1, vae.Samples);
        Assert.Equal(1.0, vae.ObservationVariance);
        Assert.Equal(1.0, vae.ObservationScale);
        Assert.Equal(1.0, vae.Beta);
        Assert.Equal(0.0, vae.FreeBits);
        Assert.Equal(DataKind.Unspecified, vae.Data);
        Assert.Equal(0, new VaeAttribute(16).InputSize);
        Assert.Equal(Activation.Identity, new DecoderAttribute().OutputActivation);
        Assert.Equal(Activation.ReLU, new EncoderAttribute(16).Activation);
        Assert.Equal(Activation.ReLU, new DecoderAttribute().Activation);
        Assert.Empty(new DecoderAttribute().HiddenSizes);
        Assert.Equal(new[] { 20, 10 }, new EncoderAttribute(20, 10).HiddenSizes);
    }
}
