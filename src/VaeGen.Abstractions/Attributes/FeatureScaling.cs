namespace VaeGen;

/// <summary>
/// How a model rescales each feature before its networks see it, declared with <see cref="VaeAttribute.Scaling"/>. The
/// statistics are fitted on the training data only (by <c>Fit</c>, or <c>FitScaling</c> on data you choose), stored in the
/// model's state (its state_dict, checkpoints, saved files and ONNX export), and applied wherever the model meets raw data.
/// </summary>
/// <remarks>The numeric values are part of the generator's contract; never renumber them.</remarks>
public enum FeatureScaling
{
    /// <summary>No scaling: the networks see the data as given.</summary>
    None = 0,

    /// <summary>(x - mean) / standard deviation per feature, both of the training data; a constant feature is only centred.</summary>
    Standardize = 1,

    /// <summary>(x - min) / (max - min) per feature, so the training data spans [0, 1]; a constant feature is only shifted to 0.</summary>
    MinMax = 2,
}
