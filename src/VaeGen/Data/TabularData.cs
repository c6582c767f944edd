using System;
using System.Collections.Generic;
using static TorchSharp.torch;

namespace VaeGen.Data;

/// <summary>
/// Rows of a table as tensors: the features of each example, and its class label and feature condition when the
/// source has them. The object owns its tensors; dispose it to free them.
/// </summary>
public sealed class TabularData : IDisposable
{
    internal TabularData(
        Tensor features, IReadOnlyList<string> featureNames, Tensor? labels, string? labelName, IReadOnlyList<string> classes,
        Tensor? conditions, IReadOnlyList<string> conditionNames, string source)
    {
        Features = features;
        FeatureNames = featureNames;
        Labels = labels;
        LabelName = labelName;
        Classes = classes;
        Conditions = conditions;
        ConditionNames = conditionNames;
        Source = source;
    }

    /// <summary>The examples, float32 [<see cref="Count"/>, <see cref="Width"/>], one row per data row of the source.</summary>
    public Tensor Features { get; }

    /// <summary>The number of examples.</summary>
    public long Count => Features.shape[0];

    /// <summary>The features of one example.</summary>
    public int Width => (int)Features.shape[1];

    /// <summary>The feature columns' names, in tensor order (the header's cells, or "column 3" without a header).</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>The class labels, int64 [<see cref="Count"/>] in [0, <see cref="Classes"/>.Count); null without a label column.</summary>
    public Tensor? Labels { get; }

    /// <summary>The label column's name; null without one.</summary>
    public string? LabelName { get; }

    /// <summary>The class of each label: label i is <c>Classes[i]</c>. Empty without a label column.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>The feature conditions, float32 [<see cref="Count"/>, C]; null without condition columns.</summary>
    public Tensor? Conditions { get; }

    /// <summary>The condition columns' names, in tensor order; empty without them.</summary>
    public IReadOnlyList<string> ConditionNames { get; }

    /// <summary>Where the data came from, for messages: the file's full path.</summary>
    public string Source { get; }

    /// <summary>Frees the tensors.</summary>
    public void Dispose()
    {
        Features.Dispose();
        Labels?.Dispose();
        Conditions?.Dispose();
    }
}
