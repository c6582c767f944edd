using System;

namespace VaeGen;

/// <summary>
/// Makes the model a conditional VAE: a condition c is concatenated to the encoder's input, q(z|x, c), and to the
/// decoder's input, p(x|z, c). Set exactly one of <see cref="Classes"/> (c is a class label, fed one-hot) or
/// <see cref="Features"/> (c is a feature vector). The generated <c>forward</c>, <c>Loss</c>, <c>Sample</c> and <c>Fit</c>
/// then take the condition.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ConditionAttribute : Attribute
{
    /// <summary>The number of classes when the condition is a label: an int64 tensor of values in [0, Classes).</summary>
    public int Classes { get; set; }

    /// <summary>The width of the condition when it is a feature vector: a float tensor [batch, Features].</summary>
    public int Features { get; set; }
}
