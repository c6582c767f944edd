using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace VaeGen.Tests;

/// <summary>
/// Encode and Decode against a hand-written forward pass in double precision from the model's own weights: checks the
/// layer order, the wiring of the heads and that each declared activation is the one applied.
/// </summary>
public sealed class ArchitectureTests
{
    /// <summary>Hidden layers (affine then activation), then the named linear heads, for each row of the input.</summary>
    private static double[][] HandPass(Dictionary<string, Tensor> weights, string stack, int hiddenLayers, Func<double, double> activation,
        string head, double[] input, int width)
    {
        var rows = input.Length / width;
        var result = new double[rows][];
        for (var r = 0; r < rows; r++)
        {
            var h = Hand.Row(input, r, width);
            for (var layer = 1; layer <= hiddenLayers; layer++)
            {
                h = Hand.Affine(h, Hand.Values(weights[$"{stack}.linear{layer}.weight"]), Hand.Values(weights[$"{stack}.linear{layer}.bias"]));
                h = h.Select(activation).ToArray();
            }
            result[r] = Hand.Affine(h, Hand.Values(weights[$"{head}.weight"]), Hand.Values(weights[$"{head}.bias"]));
        }
        return result;
    }

    private static void CheckEncoderAndDecoder(nn.Module model, Func<Tensor, (Tensor Mu, Tensor LogVar)> encode, Func<Tensor, Tensor> decode,
        int inputSize, int latentSize, int encoderLayers, Func<double, double> encoderActivation, int decoderLayers,
        Func<double, double> decoderActivation, string locationHead)
    {
        using var scope = NewDisposeScope();
        var weights = model.state_dict();
        var x = randn(4, inputSize);
        var z = randn(5, latentSize).mul(2);
        var xValues = Hand.Values(x);
        var zValues = Hand.Values(z);

        var (mu, logVar) = encode(x);
        var expectedMu = HandPass(weights, "encoder", encoderLayers, encoderActivation, "encoderMu", xValues, inputSize).SelectMany(v => v).ToArray();
        var expectedLogVar = HandPass(weights, "encoder", encoderLayers, encoderActivation, "encoderLogVar", xValues, inputSize).SelectMany(v => v).ToArray();
        Hand.Close(expectedMu, Hand.Values(mu), 1e-5, 1e-4, "mu");
        Hand.Close(expectedLogVar, Hand.Values(logVar), 1e-5, 1e-4, "logVar");

        var expectedLocation = HandPass(weights, "decoder", decoderLayers, decoderActivation, locationHead, zValues, latentSize).SelectMany(v => v).ToArray();
        Hand.Close(expectedLocation, Hand.Values(decode(z)), 1e-5, 1e-4, "decoder output");
    }

    [Fact]
    public void ReLU_model_matches_hand_forward_pass()
    {
        manual_seed(10);
        using var model = new BernoulliVae();
        CheckEncoderAndDecoder(model, model.Encode, model.Decode, 12, 3, 1, Hand.ReLU, 1, Hand.ReLU, "decoderLogits");
    }

    [Fact]
    public void Linear_model_matches_hand_affine_maps()
    {
        manual_seed(11);
        using var model = new LinearVae();
        CheckEncoderAndDecoder(model, model.Encode, model.Decode, 12, 3, 0, v => v, 0, v => v, "decoderLogits");
    }

    [Fact]
    public void Tanh_encoder_and_SiLU_decoder_with_two_layers_match_hand_forward_pass()
    {
        manual_seed(12);
        using var model = new DeepVae();
        CheckEncoderAndDecoder(model, model.Encode, model.Decode, 12, 4, 2, Hand.Tanh, 2, Hand.SiLU, "decoderLogits");
    }

    [Fact]
    public void LeakyReLU_encoder_and_ELU_decoder_match_hand_forward_pass()
    {
        manual_seed(13);
        using var model = new LeakyEluVae();
        CheckEncoderAndDecoder(model, model.Encode, model.Decode, 6, 2, 1, Hand.LeakyReLU, 1, Hand.Elu, "decoderLogits");
    }

    [Fact]
    public void GELU_encoder_and_Softplus_decoder_match_hand_forward_pass()
    {
        manual_seed(14);
        using var model = new GeluSoftplusVae();
        CheckEncoderAndDecoder(model, model.Encode, model.Decode, 6, 2, 1, Hand.Gelu, 1, Hand.Softplus, "decoderLogits");
    }

    [Fact]
    public void Learned_variance_decoder_heads_match_hand_forward_pass()
    {
        manual_seed(15);
        using var model = new LearnedVarianceVae();
        CheckEncoderAndDecoder(model, model.Encode, model.Decode, 10, 2, 1, Hand.ReLU, 1, Hand.ReLU, "decoderMean");
        CheckEncoderAndDecoder(model, model.Encode, z => model.DecodeWithLogVar(z).Mean, 10, 2, 1, Hand.ReLU, 1, Hand.ReLU, "decoderMean");
        CheckEncoderAndDecoder(model, model.Encode, z => model.DecodeWithLogVar(z).LogVar, 10, 2, 1, Hand.ReLU, 1, Hand.ReLU, "decoderLogVar");
    }

    [Fact]
    public void Hand_erf_is_accurate()
    {
        // Reference values of erf to 15 digits (Abramowitz and Stegun, table 7.1), so the GELU check above rests on a sound erf.
        Hand.Close(0.0, Hand.Erf(0.0), 1e-15, 0);
        Hand.Close(0.520499877813047, Hand.Erf(0.5), 1e-14, 0);
        Hand.Close(0.842700792949715, Hand.Erf(1.0), 1e-14, 0);
        Hand.Close(-0.995322265018953, Hand.Erf(-2.0), 1e-14, 0);
    }

    [Fact]
    public void Sample_decodes_prior_noise_from_the_given_generator()
    {
        using var scope = NewDisposeScope();
        manual_seed(16);
        using var model = new BernoulliVae();
        using var generator1 = new Generator(99);
        using var generator2 = new Generator(99);
        using var generator3 = new Generator(99);
        using var generator4 = new Generator(100);
        var first = model.Sample(6, generator1);
        var second = model.Sample(6, generator2);
        Assert.False(first.requires_grad);
        Hand.Close(Hand.Values(first), Hand.Values(second), 0, 0, "same generator seed");

        var z = randn(new long[] { 6, 3 }, generator: generator3);
        var logits = Hand.Values(model.Decode(z));
        Hand.Close(logits.Select(Hand.Sigmoid).ToArray(), Hand.Values(first), 1e-6, 1e-5, "sigmoid(Decode(z))");
        Assert.All(Hand.Values(first), p => Assert.InRange(p, 0.0, 1.0));

        var other = model.Sample(6, generator4);
        Assert.NotEqual(Hand.Values(first), Hand.Values(other));
    }

    [Fact]
    public void Gaussian_sample_and_reconstruct_return_decoder_means_without_a_sigmoid()
    {
        using var scope = NewDisposeScope();
        manual_seed(17);
        using var model = new GaussianVae();
        using var generator1 = new Generator(7);
        using var generator2 = new Generator(7);
        var sample = model.Sample(5, generator1);
        var z = randn(new long[] { 5, 2 }, generator: generator2);
        Hand.Close(Hand.Values(model.Decode(z)), Hand.Values(sample), 1e-6, 1e-5, "Decode(z)");

        var x = randn(4, 10);
        var reconstruction = model.Reconstruct(x);
        Assert.False(reconstruction.requires_grad);
        Hand.Close(Hand.Values(model.Decode(model.Encode(x).Mu)), Hand.Values(reconstruction), 1e-6, 1e-5, "Decode(mu)");
    }

    [Fact]
    public void Bernoulli_reconstruct_is_sigmoid_of_decoded_posterior_mean()
    {
        using var scope = NewDisposeScope();
        manual_seed(18);
        using var model = new BernoulliVae();
        var x = rand(4, 12);
        var reconstruction = model.Reconstruct(x);
        Assert.False(reconstruction.requires_grad);
        var logits = Hand.Values(model.Decode(model.Encode(x).Mu));
        Hand.Close(logits.Select(Hand.Sigmoid).ToArray(), Hand.Values(reconstruction), 1e-6, 1e-5, "sigmoid(Decode(mu))");
    }
}
