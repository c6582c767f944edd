using System.Collections.Generic;
using VaeGen.Generators.Model;

namespace VaeGen.Generators.Validation;

/// <summary>
/// Counts a model's trainable parameters and the multiply-accumulates of one example's pass, layer by layer, as the
/// emitter builds it. Sums are checked: a model too large to count overflows into a diagnostic, never a wrong number.
/// </summary>
internal sealed class ModelCard
{
    private readonly List<string> overflows = new();

    public long Parameters { get; private set; }

    public long MultiplyAccumulates { get; private set; }

    /// <summary>What overflowed, for the diagnostic; empty when the counts are exact.</summary>
    public IReadOnlyList<string> Overflows => overflows;

    /// <summary>A fully connected layer: in * out weights plus out biases; in * out multiply-accumulates.</summary>
    public void Linear(long inFeatures, long outFeatures) =>
        Add(inFeatures * (decimal)outFeatures + outFeatures, inFeatures * (decimal)outFeatures);

    /// <summary>Conv2d: out * in * k^2 weights plus out biases; each output value costs in * k^2 multiply-accumulates.</summary>
    public void Conv(ConvLayer layer, long outChannels)
    {
        var kernel = (decimal)layer.KernelSize * layer.KernelSize;
        Add(outChannels * layer.Input.Channels * kernel + outChannels,
            (decimal)outChannels * layer.Output.Height * layer.Output.Width * layer.Input.Channels * kernel);
    }

    /// <summary>ConvTranspose2d: in * out * k^2 weights plus out biases; each input value is spread over out * k^2 outputs.</summary>
    public void ConvTranspose(ConvLayer layer, long outChannels)
    {
        var kernel = (decimal)layer.KernelSize * layer.KernelSize;
        Add(layer.Input.Channels * (decimal)outChannels * kernel + outChannels,
            (decimal)layer.Input.Channels * layer.Input.Height * layer.Input.Width * outChannels * kernel);
    }

    private void Add(decimal parameters, decimal multiplyAccumulates)
    {
        var totalParameters = Parameters + parameters;
        var totalMacs = MultiplyAccumulates + multiplyAccumulates;
        if (totalParameters > long.MaxValue) { overflows.Add("the parameter count"); return; }
        if (totalMacs > long.MaxValue) { overflows.Add("the multiply-accumulates per example"); return; }
        Parameters = (long)totalParameters;
        MultiplyAccumulates = (long)totalMacs;
    }
}
