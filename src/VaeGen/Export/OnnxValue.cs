using System.ComponentModel;

namespace VaeGen.Export;

/// <summary>A tensor of an ONNX graph under construction, by its name in the graph: an input, an initializer or a node's output.</summary>
/// <param name="Name">The name the graph gives it.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly record struct OnnxValue(string Name)
{
    /// <summary>The name, for messages.</summary>
    public override string ToString() => Name;
}
