using System.Linq;
using Xunit;
using static TorchSharp.torch;

namespace VaeGen.Tests.Weights;

/// <summary>
/// The tensor names (and shapes) the weights files carry, as the README lists them for an equivalent PyTorch module:
/// the generated fields, their Sequential children, and the priors' and flows' own tensors.
/// </summary>
public sealed class StateDictNamesTests
{
    private static string Names(nn.Module model) =>
        string.Join(" ", model.state_dict().Select(p => $"{p.Key}[{string.Join(",", p.Value.shape)}]"));

    private const string DenseMlp =
        "encoder.linear1.weight[8,6] encoder.linear1.bias[8] encoderMu.weight[3,8] encoderMu.bias[3] encoderLogVar.weight[3,8] encoderLogVar.bias[3] " +
        "decoder.linear1.weight[8,3] decoder.linear1.bias[8] decoderLogits.weight[6,8] decoderLogits.bias[6]";

    [Fact]
    public void Dense_and_convolutional_layers_are_named_after_their_fields_and_positions()
    {
        using var conv = new ConvVae();
        Assert.Equal(
            "encoderConv.conv1.weight[4,1,4,4] encoderConv.conv1.bias[4] encoderConv.conv2.weight[8,4,3,3] encoderConv.conv2.bias[8] " +
            "encoder.linear1.weight[16,72] encoder.linear1.bias[16] encoderMu.weight[6,16] encoderMu.bias[6] encoderLogVar.weight[6,16] encoderLogVar.bias[6] " +
            "decoder.linear1.weight[16,6] decoder.linear1.bias[16] decoderProjection.linear.weight[72,16] decoderProjection.linear.bias[72] " +
            "decoderConv.deconv1.weight[8,4,3,3] decoderConv.deconv1.bias[4] decoderConv.deconv2.weight[4,1,4,4] decoderConv.deconv2.bias[1]",
            Names(conv));
        using var learnedVariance = new LearnedVarianceVae();
        Assert.EndsWith("decoderMean.weight[10,8] decoderMean.bias[10] decoderLogVar.weight[10,8] decoderLogVar.bias[10]", Names(learnedVariance));
    }

    [Fact]
    public void Priors_and_flows_add_their_own_tensors_after_the_layers()
    {
        using var mixture = new MixtureVae();
        Assert.Equal(DenseMlp + " prior.means[4,3] prior.log_vars[4,3] prior.logits[4]", Names(mixture));
        using var vamp = new VampVae();
        Assert.Equal(DenseMlp + " pseudoInputs.inputs[5,6]", Names(vamp));
        using var planar = new PlanarVae();
        Assert.Equal(DenseMlp + " " + string.Join(" ", Enumerable.Range(0, 3).Select(k => $"flow.steps.{k}.u[3] flow.steps.{k}.w[3] flow.steps.{k}.b[1]")), Names(planar));
        using var iaf = new IafVae();
        Assert.Equal(DenseMlp + " " + string.Join(" ", Enumerable.Range(0, 2).Select(k =>
            $"flow.steps.{k}.hidden1.weight[10,3] flow.steps.{k}.hidden1.bias[10] flow.steps.{k}.hidden2.weight[10,10] flow.steps.{k}.hidden2.bias[10] " +
            $"flow.steps.{k}.shift.weight[3,10] flow.steps.{k}.shift.bias[3] flow.steps.{k}.gate.weight[3,10] flow.steps.{k}.gate.bias[3]")), Names(iaf));
    }
}
