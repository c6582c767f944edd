// Lets netstandard2.0 compile records, init-only properties and interpolated string handlers.
using System;

namespace System.Runtime.CompilerServices;

internal static class IsExternalInit
{
}

/// <summary>Lets netstandard2.0 declare an interpolated string handler (SourceWriter's), which the compiler lowers to Append calls.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = false)]
internal sealed class InterpolatedStringHandlerAttribute : Attribute
{
}

/// <summary>Names the arguments passed to an interpolated string handler's constructor ("" is the receiver).</summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
internal sealed class InterpolatedStringHandlerArgumentAttribute : Attribute
{
    public InterpolatedStringHandlerArgumentAttribute(string argument) => Arguments = [argument];

    public InterpolatedStringHandlerArgumentAttribute(params string[] arguments) => Arguments = arguments;

    public string[] Arguments { get; }
}
