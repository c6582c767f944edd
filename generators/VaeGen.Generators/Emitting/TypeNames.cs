namespace VaeGen.Generators.Emitting;

/// <summary>The global::-qualified names the generated code uses, written once.</summary>
internal static class TypeNames
{
    public const string Tensor = "global::TorchSharp.torch.Tensor";
    public const string Torch = "global::TorchSharp.torch";
    public const string Nn = "global::TorchSharp.torch.nn";
    public const string Modules = "global::TorchSharp.Modules";
    public const string Maths = "global::VaeGen.Maths";
    public const string TensorChecks = "global::VaeGen.Checks.TensorChecks";
}
