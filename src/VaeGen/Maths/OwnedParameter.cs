using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace VaeGen.Maths;

/// <summary>
/// Parameters that live as long as their module. nn.Parameter registers the new parameter with the caller's open dispose
/// scope, if any, which would dispose it under a module built inside one (TorchSharp's own layers survive that).
/// </summary>
internal static class OwnedParameter
{
    /// <summary>A trainable parameter taking over <paramref name="data"/>'s storage, detached from every dispose scope.</summary>
    public static Parameter From(Tensor data)
    {
        var parameter = nn.Parameter(data);
        parameter.DetachFromDisposeScope();
        return parameter;
    }
}
