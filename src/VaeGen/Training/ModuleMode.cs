using System;
using System.Collections.Generic;
using System.ComponentModel;
using static TorchSharp.torch;

namespace VaeGen.Training;

/// <summary>
/// Puts a module in training or evaluation mode for the length of a using block and then gives it, and each of its
/// submodules, the mode it had before: generated models evaluate (and <c>Fit</c> trains) without changing the
/// caller's modes, including a submodule the caller froze in evaluation mode.
/// </summary>
/// <remarks>
/// Costs a mode read per module on entry, and nothing more when the modules are already in the wanted mode, which is
/// the case in a loop of calls on a model the caller put in that mode.
/// </remarks>
/// <remarks>Generated models call this; it is public for them, and hidden from IntelliSense because user code has no need of it.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ModuleMode : IDisposable
{
    private readonly List<(nn.Module Module, bool Training)>? previous;

    private ModuleMode(List<(nn.Module, bool)>? previous) => this.previous = previous;

    /// <summary>Puts <paramref name="module"/> in evaluation mode (<c>eval()</c>) until the result is disposed.</summary>
    /// <param name="module">The model.</param>
    public static ModuleMode Evaluating(nn.Module module) => Enter(module, training: false);

    /// <summary>Puts <paramref name="module"/> in training mode (<c>train()</c>) until the result is disposed.</summary>
    /// <param name="module">The model.</param>
    public static ModuleMode Training(nn.Module module) => Enter(module, training: true);

    /// <summary>Gives the module and its submodules back the modes they had.</summary>
    public void Dispose()
    {
        if (previous is null) return;
        // train(on) sets a module and everything below it, so parents go first and each submodule then sets its own.
        foreach (var (module, training) in previous) module.train(training);
    }

    private static ModuleMode Enter(nn.Module module, bool training)
    {
        ArgumentNullException.ThrowIfNull(module);
        // The module itself, then its submodules outermost first (modules() lists them level by level).
        var modes = new List<(nn.Module, bool)> { (module, module.training) };
        var changes = modes[0].Item2 != training;
        foreach (var submodule in module.modules())
        {
            var mode = submodule.training;
            modes.Add((submodule, mode));
            changes |= mode != training;
        }
        if (!changes) return new ModuleMode(null);
        module.train(training);
        return new ModuleMode(modes);
    }
}
