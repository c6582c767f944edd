namespace VaeGen.Export;

/// <summary>The files a generated model's <c>ExportOnnx</c> wrote, as full paths.</summary>
/// <param name="Encoder">encoder.onnx: the posterior's parameters, x (and the condition) to mu and log_var.</param>
/// <param name="Decoder">decoder.onnx: z (and the condition) to the likelihood's parameters and its mean.</param>
/// <param name="Score">score.onnx: x (and the condition) and the noise eps to the one-sample negative ELBO, in nats.</param>
/// <param name="Prior">prior.onnx: noise eps (and, for a learned mixture prior or the VampPrior, uniform numbers u) to a draw z from the prior.</param>
public sealed record OnnxFiles(string Encoder, string Decoder, string Score, string Prior);
