using System.Collections.Generic;
using System.Globalization;
using VaeGen.Generators.Model;

namespace VaeGen.Generators.Validation;

/// <summary>
/// Builds a model's <see cref="LayerPlan"/>: each module the emitter constructs, with its shapes, trainable parameters
/// and the multiply-accumulates of one example's pass. Sums are checked: a model too large to count overflows into a
/// diagnostic, never a wrong number.
/// </summary>
internal sealed class ModelCard
{
    private readonly List<string> overflows = new();
    private readonly List<PlannedLayer> layers = new();
    private decimal parameters;
    private decimal multiplyAccumulates;

    /// <summary>What overflowed, for the diagnostic; empty when the counts are exact.</summary>
    public IReadOnlyList<string> Overflows => overflows;

    /// <summary>The modules added so far, in construction order.</summary>
    public LayerPlan Plan => new(layers.ToEquatableArray());

    /// <summary>A fully connected layer: in * out weights plus out biases; in * out multiply-accumulates.</summary>
    public void Linear(string name, LayerRole role, long inFeatures, long outFeatures) =>
        Add(name, "Linear", role, Width(inFeatures), Width(outFeatures), outFeatures,
            inFeatures * (decimal)outFeatures + outFeatures, inFeatures * (decimal)outFeatures);

    /// <summary>Conv2d: out * in * k^2 weights plus out biases; each output value costs in * k^2 multiply-accumulates.</summary>
    public void Conv(string name, ConvLayer layer, long outChannels)
    {
        var kernel = (decimal)layer.KernelSize * layer.KernelSize;
        var output = new ImageShape((int)outChannels, layer.Output.Height, layer.Output.Width);
        Add(name, "Conv2d", LayerRole.Encoder, layer.Input.ToString(), output.ToString(), outChannels * layer.Output.Height * layer.Output.Width,
            outChannels * layer.Input.Channels * kernel + outChannels,
            (decimal)outChannels * layer.Output.Height * layer.Output.Width * layer.Input.Channels * kernel);
    }

    /// <summary>ConvTranspose2d: in * out * k^2 weights plus out biases; each input value is spread over out * k^2 outputs.</summary>
    public void ConvTranspose(string name, ConvLayer layer, long outChannels)
    {
        var kernel = (decimal)layer.KernelSize * layer.KernelSize;
        var output = $"{outChannels}x{layer.Output.Height}x{layer.Output.Width}";
        Add(name, "ConvTranspose2d", LayerRole.Decoder, layer.Input.ToString(), output, outChannels * layer.Output.Height * layer.Output.Width,
            layer.Input.Channels * (decimal)outChannels * kernel + outChannels,
            (decimal)layer.Input.Channels * layer.Input.Height * layer.Input.Width * outChannels * kernel);
    }

    /// <summary>Any other module: its parameters, and its multiply-accumulates per example and sample of z.</summary>
    public void Other(string name, string kind, LayerRole role, string input, string output, long outputValues, decimal parameterCount, decimal macs) =>
        Add(name, kind, role, input, output, outputValues, parameterCount, macs);

    private static string Width(long features) => features.ToString(CultureInfo.InvariantCulture);

    private void Add(string name, string kind, LayerRole role, string input, string output, long outputValues, decimal layerParameters, decimal layerMacs)
    {
        if (parameters + layerParameters > long.MaxValue) { overflows.Add("the parameter count"); return; }
        if (multiplyAccumulates + layerMacs > long.MaxValue) { overflows.Add("the multiply-accumulates per example"); return; }
        parameters += layerParameters;
        multiplyAccumulates += layerMacs;
        layers.Add(new PlannedLayer(name, kind, role, input, output, outputValues, (long)layerParameters, (long)layerMacs));
    }
}
