using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace VaeGen.Tests;

/// <summary>
/// The compile-time model card against the real module: the parameter count TorchSharp reports, and multiply-accumulates
/// counted here from each layer's weights and the feature-map sizes the layers actually produce.
/// </summary>
public sealed class ModelCardTests
{
    public static TheoryData<string> Models => new()
    {
        nameof(BernoulliVae), nameof(LearnedVarianceVae), nameof(LinearVae), nameof(DeepVae), nameof(ConvVae), nameof(ConvLearnedVarianceVae),
        nameof(ConvCategoricalVae), nameof(LaplaceLearnedScaleVae), nameof(CategoricalVae), nameof(PoissonVae), nameof(LabelVae),
        nameof(FeatureConditionVae), nameof(MixtureVae), nameof(VampVae), nameof(VampConvLabelVae), nameof(PlanarVae), nameof(IafVae),
        nameof(IwaeVae), nameof(IwaeFlowMixtureVae),
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void Parameter_count_matches_the_module(string name)
    {
        var (module, parameterCount, _) = Create(name);
        using (module)
        {
            Assert.Equal(module.parameters().Sum(p => p.numel()), parameterCount);
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Multiply_accumulates_match_the_layers(string name)
    {
        var (module, _, macs) = Create(name);
        using (module)
        {
            Assert.Equal(CountMacs(module), macs);
        }
    }

    [Fact]
    public void Conv_constants_give_the_image_shape()
    {
        Assert.Equal((1, 12, 12), (ConvVae.ImageChannels, ConvVae.ImageHeight, ConvVae.ImageWidth));
        Assert.Equal(144, ConvVae.InputSize);
        Assert.Equal(3 * 8 * 6, ConvLearnedVarianceVae.InputSize);
    }

    private static (nn.Module Module, long Parameters, long Macs) Create(string name) => name switch
    {
        nameof(BernoulliVae) => (new BernoulliVae(), BernoulliVae.ParameterCount, BernoulliVae.MultiplyAccumulates),
        nameof(LearnedVarianceVae) => (new LearnedVarianceVae(), LearnedVarianceVae.ParameterCount, LearnedVarianceVae.MultiplyAccumulates),
        nameof(LinearVae) => (new LinearVae(), LinearVae.ParameterCount, LinearVae.MultiplyAccumulates),
        nameof(DeepVae) => (new DeepVae(), DeepVae.ParameterCount, DeepVae.MultiplyAccumulates),
        nameof(ConvVae) => (new ConvVae(), ConvVae.ParameterCount, ConvVae.MultiplyAccumulates),
        nameof(ConvLearnedVarianceVae) => (new ConvLearnedVarianceVae(), ConvLearnedVarianceVae.ParameterCount, ConvLearnedVarianceVae.MultiplyAccumulates),
        nameof(ConvCategoricalVae) => (new ConvCategoricalVae(), ConvCategoricalVae.ParameterCount, ConvCategoricalVae.MultiplyAccumulates),
        nameof(LaplaceLearnedScaleVae) => (new LaplaceLearnedScaleVae(), LaplaceLearnedScaleVae.ParameterCount, LaplaceLearnedScaleVae.MultiplyAccumulates),
        nameof(CategoricalVae) => (new CategoricalVae(), CategoricalVae.ParameterCount, CategoricalVae.MultiplyAccumulates),
        nameof(PoissonVae) => (new PoissonVae(), PoissonVae.ParameterCount, PoissonVae.MultiplyAccumulates),
        nameof(LabelVae) => (new LabelVae(), LabelVae.ParameterCount, LabelVae.MultiplyAccumulates),
        nameof(FeatureConditionVae) => (new FeatureConditionVae(), FeatureConditionVae.ParameterCount, FeatureConditionVae.MultiplyAccumulates),
        nameof(MixtureVae) => (new MixtureVae(), MixtureVae.ParameterCount, MixtureVae.MultiplyAccumulates),
        nameof(VampVae) => (new VampVae(), VampVae.ParameterCount, VampVae.MultiplyAccumulates),
        nameof(VampConvLabelVae) => (new VampConvLabelVae(), VampConvLabelVae.ParameterCount, VampConvLabelVae.MultiplyAccumulates),
        nameof(PlanarVae) => (new PlanarVae(), PlanarVae.ParameterCount, PlanarVae.MultiplyAccumulates),
        nameof(IafVae) => (new IafVae(), IafVae.ParameterCount, IafVae.MultiplyAccumulates),
        nameof(IwaeVae) => (new IwaeVae(), IwaeVae.ParameterCount, IwaeVae.MultiplyAccumulates),
        nameof(IwaeFlowMixtureVae) => (new IwaeFlowMixtureVae(), IwaeFlowMixtureVae.ParameterCount, IwaeFlowMixtureVae.MultiplyAccumulates),
        _ => throw new System.ArgumentException(name),
    };

    /// <summary>
    /// Linear: in * out. Convolutions are run in order on one example to learn their map sizes: Conv2d costs
    /// weight.numel() per output position, ConvTranspose2d weight.numel() per input position.
    /// </summary>
    private static long CountMacs(nn.Module module)
    {
        using var scope = NewDisposeScope();
        long macs = 0;
        var modules = module.named_modules().ToDictionary(m => m.name, m => m.module);
        foreach (var (name, child) in modules)
        {
            if (child is Linear linear) macs += linear.weight!.numel();
            // A planar step costs w'z and u * h(.): two multiply-accumulates per latent dimension, and has no Linear.
            if (child is Maths.PlanarFlow planar) macs += 2L * planar.Steps * planar.LatentSize;
        }
        var image = module switch
        {
            ConvVae => (1L, 12L, 12L),
            ConvLearnedVarianceVae => (3L, 8L, 6L),
            ConvCategoricalVae => (1L, 4L, 4L),
            FeatureConditionVae => (1L, 4L, 4L),
            VampConvLabelVae => (1L, 4L, 4L),
            _ => (0L, 0L, 0L),
        };
        if (image.Item1 == 0) return macs;

        var maps = zeros(1, image.Item1, image.Item2, image.Item3);
        foreach (var layer in ((Sequential)modules["encoderConv"]).children())
        {
            var next = ((nn.Module<Tensor, Tensor>)layer).forward(maps);
            if (layer is Conv2d conv) macs += conv.weight!.numel() * next.shape[2] * next.shape[3];
            maps = next;
        }
        var projection = (Sequential)modules["decoderProjection"];
        var width = ((Linear)projection.children().First()).weight!.shape[0];
        var start = Start(module, width);
        maps = zeros(start);
        foreach (var layer in ((Sequential)modules["decoderConv"]).children())
        {
            if (layer is ConvTranspose2d deconv) macs += deconv.weight!.numel() * maps.shape[2] * maps.shape[3];
            maps = ((nn.Module<Tensor, Tensor>)layer).forward(maps);
        }
        return macs;
    }

    /// <summary>The decoder's first map shape: where the encoder's convolutions end, for each model above.</summary>
    private static long[] Start(nn.Module module, long width)
    {
        var shape = module switch
        {
            ConvVae => new long[] { 1, 8, 3, 3 },
            ConvLearnedVarianceVae => new long[] { 1, 5, 8, 6 },
            FeatureConditionVae => new long[] { 1, 3, 2, 2 },
            _ => new long[] { 1, 2, 2, 2 },
        };
        Assert.Equal(width, shape[1] * shape[2] * shape[3]);
        return shape;
    }
}
