using Xunit;

namespace VaeGen.Tests;

/// <summary>
/// What a declaration means when it leaves an argument out. The enums themselves are defined once, in
/// VaeGen.Abstractions, which the generator references, so there is no second copy to keep in step.
/// </summary>
public sealed class AttributeDefaultsTests
{
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
