using System;
using System.Linq;
using TorchSharp;
using VaeGen.Maths;
using Xunit;
using static TorchSharp.torch;

namespace VaeGen.Tests;

/// <summary>
/// The thin layers (ThinConv2d, ThinConvTranspose2d) against libtorch's convolutions: the same parameters from the same
/// seed, and the same outputs and gradients (input, weight, bias) to float32 tolerance over geometries that exercise
/// every edge of the passes (padding, strides that skip thin positions, output padding, maps whose positions end inside
/// a vector, batches of one), then a generated model's loss and gradients with and without them.
/// </summary>
public sealed class ThinLayerTests
{
    [Fact]
    public void Parameters_and_initialisation_are_nn_modules()
    {
        manual_seed(5);
        using var thin = new ThinConv2d(3, 8, 3, 2, 1);
        manual_seed(5);
        using var reference = nn.Conv2d(3, 8, 3, stride: 2, padding: 1L);
        AssertSameParameters(thin, reference);

        manual_seed(6);
        using var thinT = new ThinConvTranspose2d(8, 1, 4, 2, 1, 0);
        manual_seed(6);
        using var referenceT = nn.ConvTranspose2d(8, 1, 4, stride: 2, padding: 1, output_padding: 0);
        AssertSameParameters(thinT, referenceT);
    }

    [Theory]
    // thin channels, wide channels, kernel, stride, padding, thin height, thin width, batch
    [InlineData(1, 32, 4, 2, 1, 28, 28, 5)] // the sample's first layer
    [InlineData(3, 8, 3, 1, 1, 8, 6, 2)]
    [InlineData(1, 5, 3, 2, 0, 9, 7, 1)] // no padding; positions 4 x 3
    [InlineData(2, 6, 5, 3, 2, 11, 10, 3)] // stride 3 over kernel 5
    [InlineData(4, 7, 2, 2, 0, 7, 9, 4)] // the last thin row and column are never read
    [InlineData(1, 9, 3, 1, 1, 16, 13, 2)] // 208 positions: whole 32-lane blocks, an 8-lane block and a tail
    public void Conv2d_matches_libtorch_forward_and_backward(int thinChannels, int wide, int kernel, int stride, int padding, int height, int width, int batch)
    {
        manual_seed(thinChannels * 100 + kernel);
        using var layer = new ThinConv2d(thinChannels, wide, kernel, stride, padding);
        using var input = rand(batch, thinChannels, height, width).requires_grad_();
        using var output = layer.forward(input);
        using var expected = nn.functional.conv2d(input, layer.weight!, layer.bias, new long[] { stride, stride }, new long[] { padding, padding });
        Assert.Equal(expected.shape, output.shape);
        AssertClose(expected, output, "output");
        using var upstream = randn_like(expected);

        (output * upstream).sum().backward();
        using var inputGradient = input.grad!.clone();
        using var weightGradient = layer.weight!.grad!.clone();
        using var biasGradient = layer.bias!.grad!.clone();
        input.grad!.zero_();
        layer.weight!.grad!.zero_();
        layer.bias!.grad!.zero_();
        (expected * upstream).sum().backward();
        AssertClose(input.grad!, inputGradient, "input gradient");
        AssertClose(layer.weight!.grad!, weightGradient, "weight gradient");
        AssertClose(layer.bias!.grad!, biasGradient, "bias gradient");
    }

    [Theory]
    // wide channels, thin channels, kernel, stride, padding, output padding, wide height, wide width, batch
    [InlineData(32, 1, 4, 2, 1, 0, 14, 14, 5)] // the sample's last layer
    [InlineData(16, 1, 4, 2, 1, 0, 7, 7, 2)]
    [InlineData(8, 4, 3, 2, 1, 1, 3, 3, 3)] // output padding: a thin row and column only the bias reaches
    [InlineData(5, 3, 3, 1, 1, 0, 8, 6, 2)]
    [InlineData(6, 2, 5, 3, 2, 2, 4, 5, 1)]
    [InlineData(9, 1, 3, 1, 0, 0, 15, 14, 2)] // 210 positions
    public void ConvTranspose2d_matches_libtorch_forward_and_backward(int wide, int thinChannels, int kernel, int stride, int padding, int outputPadding, int height, int width, int batch)
    {
        manual_seed(wide * 100 + kernel);
        using var layer = new ThinConvTranspose2d(wide, thinChannels, kernel, stride, padding, outputPadding);
        using var input = randn(batch, wide, height, width).requires_grad_();
        using var output = layer.forward(input);
        using var expected = nn.functional.conv_transpose2d(input, layer.weight!, layer.bias, new long[] { stride, stride }, new long[] { padding, padding }, new long[] { outputPadding, outputPadding });
        Assert.Equal(expected.shape, output.shape);
        AssertClose(expected, output, "output");
        using var upstream = randn_like(expected);

        (output * upstream).sum().backward();
        using var inputGradient = input.grad!.clone();
        using var weightGradient = layer.weight!.grad!.clone();
        using var biasGradient = layer.bias!.grad!.clone();
        input.grad!.zero_();
        layer.weight!.grad!.zero_();
        layer.bias!.grad!.zero_();
        (expected * upstream).sum().backward();
        AssertClose(input.grad!, inputGradient, "input gradient");
        AssertClose(layer.weight!.grad!, weightGradient, "weight gradient");
        AssertClose(layer.bias!.grad!, biasGradient, "bias gradient");
    }

    [Fact]
    public void An_input_without_gradient_gets_none_and_the_parameters_still_do()
    {
        using var layer = new ThinConv2d(1, 4, 3, 2, 1);
        using var input = rand(3, 1, 9, 9);
        layer.forward(input).sum().backward();
        Assert.Null(input.grad);
        Assert.NotNull(layer.weight!.grad);
        Assert.True(layer.weight!.grad!.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void Other_element_types_and_unbatched_input_take_libtorchs_path()
    {
        manual_seed(8);
        using var layer = new ThinConvTranspose2d(6, 1, 4, 2, 1, 0);
        using var single = randn(6, 5, 5);
        using var unbatched = layer.forward(single);
        using var expected = nn.functional.conv_transpose2d(single.unsqueeze(0), layer.weight!, layer.bias, new long[] { 2, 2 }, new long[] { 1, 1 }).squeeze(0);
        AssertClose(expected, unbatched, "unbatched output");

        layer.to(float64);
        using var doubles = randn(2, 6, 5, 5, dtype: float64);
        using var output = layer.forward(doubles);
        Assert.Equal(float64, output.dtype);
        using var expectedDoubles = nn.functional.conv_transpose2d(doubles, layer.weight!, layer.bias, new long[] { 2, 2 }, new long[] { 1, 1 });
        Assert.True(output.allclose(expectedDoubles, 1e-12, 1e-12));
    }

    [Fact]
    public void A_wrong_channel_count_gets_libtorchs_error()
    {
        using var layer = new ThinConv2d(1, 4, 3, 1, 1);
        using var input = rand(2, 3, 8, 8);
        Assert.ThrowsAny<Exception>(() => layer.forward(input));
    }

    [Fact]
    public void A_generated_model_uses_them_and_trains_as_with_libtorchs_layers()
    {
        manual_seed(21);
        using var model = new ConvVae();
        var kinds = model.named_modules().ToDictionary(m => m.name, m => m.module.GetType());
        Assert.Equal(typeof(ThinConv2d), kinds["encoderConv.conv1"]);
        Assert.Equal(typeof(ThinConvTranspose2d), kinds["decoderConv.deconv2"]);

        using var x = rand(7, 144);
        var (loss, gradients) = LossAndGradients(model, x, thin: true);
        var (generalLoss, generalGradients) = LossAndGradients(model, x, thin: false);
        Assert.True(Math.Abs(loss - generalLoss) <= 1e-5 * Math.Abs(generalLoss), $"loss {loss} with the thin layers, {generalLoss} without");
        foreach (var (name, gradient) in gradients)
        {
            AssertClose(generalGradients[name], gradient, name);
            gradient.Dispose();
            generalGradients[name].Dispose();
        }
    }

    private static (double Loss, System.Collections.Generic.Dictionary<string, Tensor> Gradients) LossAndGradients(ConvVae model, Tensor x, bool thin)
    {
        ThinLayerChecks.Enabled = thin;
        try
        {
            model.zero_grad();
            manual_seed(3);
            var output = model.forward(x);
            var elbo = model.Loss(x, output);
            elbo.Total.backward();
            return (elbo.Total.item<float>(), model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.clone()));
        }
        finally
        {
            ThinLayerChecks.Enabled = true;
        }
    }

    private static void AssertSameParameters(nn.Module thin, nn.Module reference)
    {
        var mine = thin.state_dict();
        var theirs = reference.state_dict();
        Assert.Equal(theirs.Keys.OrderBy(k => k), mine.Keys.OrderBy(k => k));
        foreach (var key in theirs.Keys) Assert.True(theirs[key].equal(mine[key]).all().item<bool>(), $"{key} differs");
    }

    /// <summary>Equal to within float32 rounding of sums of a few hundred terms: 1e-4 of the largest magnitude, plus 1e-5.</summary>
    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        var scale = expected.abs().max().item<float>();
        var difference = (expected - actual).abs().max().item<float>();
        Assert.True(difference <= 1e-4f * scale + 1e-5f, $"{what}: largest difference {difference} for values up to {scale}");
    }
}
