using System;
using System.Collections.Generic;
using System.Linq;
using VaeGen.Maths;
using Xunit;
using static TorchSharp.torch;

namespace VaeGen.Tests;

/// <summary>
/// The channels-last maps ImageLayout.ToMaps gives on the CPU: the same shape and values as the plain reshape, in the
/// layout its strides say (which libtorch's convolutions then keep), and a generated convolutional model whose loss and
/// gradients match those it gives with channels-first maps.
/// </summary>
public sealed class ChannelsLastTests
{
    [Theory]
    [InlineData(1L, 28L, 28L)] // an image of one channel: strides only, no copy
    [InlineData(3L, 8L, 6L)]
    [InlineData(64L, 7L, 7L)] // the decoder's first maps in the sample
    public void Maps_hold_the_same_values_with_each_pixels_channels_side_by_side(long channels, long height, long width)
    {
        using var flat = rand(2, 5, channels * height * width);
        using var maps = ImageLayout.ToMaps(flat, channels, height, width);
        using var plain = flat.reshape(-1, channels, height, width);
        Assert.Equal(new[] { 10L, channels, height, width }, maps.shape);
        Assert.Equal(new[] { height * width * channels, 1L, width * channels, channels }, maps.stride());
        Assert.True(maps.equal(plain).all().item<bool>());
        using var back = ImageLayout.FromMaps(maps, flat);
        Assert.True(back.equal(flat).all().item<bool>(), "FromMaps gives back the flat channel-major features");
    }

    [Theory]
    [InlineData(1L)]
    [InlineData(3L)]
    public void A_batch_narrowed_from_a_larger_tensor_keeps_its_own_values(long channels)
    {
        using var all = arange(6 * channels * 4 * 5, dtype: float32).reshape(6, channels * 4 * 5);
        using var batch = all.narrow(0, 4, 2); // a view that starts inside the storage
        using var maps = ImageLayout.ToMaps(batch, channels, 4, 5);
        using var plain = batch.reshape(-1, channels, 4, 5);
        Assert.True(maps.equal(plain).all().item<bool>(), "the maps hold the batch's values, not the storage's first ones");
    }

    [Theory]
    [InlineData(1L)] // through as_strided
    [InlineData(3L)] // through permute and a copy
    public void Gradients_flow_back_to_the_flat_features(long channels)
    {
        manual_seed(7);
        using var weight = randn(5, channels, 3, 3);
        using var flat = rand(4, channels * 6 * 6).requires_grad_();
        using (var maps = ImageLayout.ToMaps(flat, channels, 6, 6))
            (nn.functional.conv2d(maps, weight) * arange(5 * 4 * 4, dtype: float32).reshape(5, 4, 4)).sum().backward();
        using var viaMaps = flat.grad!.clone();
        flat.grad!.zero_();
        using (var plain = flat.reshape(-1, channels, 6, 6))
            (nn.functional.conv2d(plain, weight) * arange(5 * 4 * 4, dtype: float32).reshape(5, 4, 4)).sum().backward();
        Assert.True(viaMaps.allclose(flat.grad!, 1e-5, 1e-4), "the same input gradient through the channels-last maps");
    }

    [Fact]
    public void A_transposed_flat_input_gives_its_own_values()
    {
        using var source = rand(2 * 4 * 5, 6);
        using var flat = source.t(); // [6, 40], not contiguous
        using var maps = ImageLayout.ToMaps(flat, 2, 4, 5);
        using var plain = flat.reshape(-1, 2, 4, 5);
        Assert.True(maps.equal(plain).all().item<bool>());
    }

    [Fact]
    public void Switched_off_the_maps_are_the_plain_reshape()
    {
        using var flat = rand(4, 3 * 4 * 5);
        using var maps = ImageLayout.InLayout(false, () => ImageLayout.ToMaps(flat, 3, 4, 5));
        Assert.Equal(new[] { 60L, 20L, 5L, 1L }, maps.stride());
    }

    [Fact]
    public void A_generated_model_gives_the_same_loss_and_gradients_in_either_layout()
    {
        manual_seed(21);
        using var model = new ConvVae();
        using var x = rand(7, 144);
        var (loss, gradients) = LossAndGradients(model, x, channelsLast: true);
        var (firstLoss, firstGradients) = LossAndGradients(model, x, channelsLast: false);
        Assert.True(Math.Abs(loss - firstLoss) <= 1e-5 * Math.Abs(firstLoss), $"loss {loss} channels-last, {firstLoss} channels-first");
        Assert.NotEmpty(gradients);
        foreach (var (name, gradient) in gradients)
        {
            var expected = firstGradients[name];
            var scale = expected.abs().max().item<float>();
            var difference = (expected - gradient).abs().max().item<float>();
            Assert.True(difference <= 1e-4f * scale + 1e-6f, $"{name}: largest difference {difference} for values up to {scale}");
            gradient.Dispose();
            expected.Dispose();
        }
    }

    [Fact]
    public void Evaluation_gives_the_same_elbo_in_either_layout()
    {
        // Batches that differ: the evaluation reads the second through a view that starts inside the data's storage.
        using var data = cat(new[] { zeros(500, 144), ones(100, 144) }, 0);
        manual_seed(6);
        using var model = new ConvVae();
        var results = new[] { true, false }.Select(channelsLast => ImageLayout.InLayout(channelsLast, () =>
        {
            using var generator = new TorchSharp.torch.Generator(11);
            return model.Evaluate(data, 500, generator);
        })).ToList();
        Assert.True(Math.Abs(results[0].Loss - results[1].Loss) <= 1e-4 * Math.Abs(results[1].Loss), $"{results[0]} channels-last, {results[1]} channels-first");
    }

    [Fact]
    public void Training_follows_the_same_loss_curve_in_either_layout()
    {
        manual_seed(4);
        using var data = rand(96, 144);
        var curves = new[] { true, false }.Select(channelsLast => ImageLayout.InLayout(channelsLast, () =>
        {
            manual_seed(9);
            using var model = new ConvVae();
            var history = model.Fit(data, new VaeGen.Training.TrainingOptions { Epochs = 4, BatchSize = 32, Seed = 2 });
            return history.Epochs.Select(e => e.TrainLoss).ToArray();
        })).ToList();
        Assert.True(curves[0][^1] < curves[0][0], $"channels-last training lowers the loss: {string.Join(", ", curves[0])}");
        for (var epoch = 0; epoch < curves[0].Length; epoch++)
            Assert.True(Math.Abs(curves[0][epoch] - curves[1][epoch]) <= 1e-3 * Math.Abs(curves[1][epoch]),
                $"epoch {epoch + 1}: {curves[0][epoch]} channels-last, {curves[1][epoch]} channels-first");
    }

    private static (double Loss, Dictionary<string, Tensor> Gradients) LossAndGradients(ConvVae model, Tensor x, bool channelsLast) =>
        ImageLayout.InLayout(channelsLast, () =>
        {
            model.zero_grad();
            manual_seed(3);
            var elbo = model.Loss(x, model.forward(x));
            elbo.Total.backward();
            return ((double)elbo.Total.item<float>(), model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.clone()));
        });
}
