using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;
using TorchSharp;
using Xunit;

namespace VaeGen.Tests;

/// <summary>
/// TorchSharp hands a Scalar's native handle to libtorch without keeping the Scalar alive, so a temporary one (an
/// implicit conversion from a number, or one TorchSharp makes inside <c>square()</c>, <c>add(Tensor)</c>,
/// <c>softplus(double, double)</c>, <c>ToDouble()</c>...) can be finalized during the call that reads it; libtorch then
/// fails with "Unknown scalar type", or worse. The runtime and the generated models must make none on their paths:
/// these tests read their IL for such calls.
/// </summary>
public sealed class ScalarLifetimeTests
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(field => (OpCode)field.GetValue(null)!).ToDictionary(op => op.Value);

    /// <summary>TorchSharp's own methods that make a Scalar from a number on the way and do not keep it alive.</summary>
    private static readonly HashSet<MethodBase> MakeTemporaryScalars = typeof(Scalar).Assembly.GetTypes()
        .Where(type => type != typeof(Scalar) && type.Name != "ScalarExtensionMethods")
        .SelectMany(Methods)
        .Where(method => Calls(method).Any(MakesScalar) && !Calls(method).Any(call => call.Name == nameof(GC.KeepAlive)))
        .ToHashSet();

    [Fact]
    public void The_audit_finds_what_it_looks_for()
    {
        // square() is pow(2) with a temporary Scalar, and a number passed where a Scalar is asked is one too.
        Assert.Contains(typeof(torch.Tensor).GetMethod(nameof(torch.Tensor.square), Type.EmptyTypes)!, MakeTemporaryScalars);
        Assert.NotEmpty(Findings(typeof(Offender)));
        Assert.Empty(Findings(typeof(CleanCode)));
    }

    [Fact]
    public void The_runtime_makes_no_temporary_scalar()
    {
        var findings = typeof(Maths.Addition).Assembly.GetTypes().SelectMany(Findings).ToList();
        Assert.True(findings.Count == 0, "Temporary Scalars in the runtime:\n" + string.Join("\n", findings));
    }

    [Fact]
    public void Generated_models_make_no_temporary_scalar()
    {
        var models = typeof(ScalarLifetimeTests).Assembly.GetTypes()
            .Where(type => typeof(IVariationalAutoencoder).IsAssignableFrom(type) || typeof(IConditionalVariationalAutoencoder).IsAssignableFrom(type))
            .ToList();
        Assert.True(models.Count > 20, $"expected the test models, found {models.Count}");
        // A model's nested types (Output, Elbo) and lambdas are generated too.
        var findings = models.SelectMany(model => model.GetNestedTypes(Declared).Append(model)).SelectMany(Findings).ToList();
        Assert.True(findings.Count == 0, "Temporary Scalars in generated code:\n" + string.Join("\n", findings));
    }

    private static IEnumerable<string> Findings(Type type) =>
        from method in Methods(type)
        from call in Calls(method)
        where MakesScalar(call) || MakeTemporaryScalars.Contains(call)
        select $"{type.FullName}.{method.Name} calls {call.DeclaringType?.Name}.{call.Name}({string.Join(", ", call.GetParameters().Select(p => p.ParameterType.Name))})";

    /// <summary>
    /// An implicit conversion of a number to a Scalar: a new native object that nothing names, so nothing keeps it
    /// alive. (An explicit ToScalar is allowed: the runtime keeps those in CachedScalars or a using local.)
    /// </summary>
    private static bool MakesScalar(MethodBase call) =>
        call is MethodInfo { Name: "op_Implicit" } method && method.ReturnType == typeof(Scalar);

    private static IEnumerable<MethodBase> Methods(Type type)
    {
        IEnumerable<MethodBase> methods;
        try { methods = type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)); }
        catch (TypeLoadException) { yield break; }
        foreach (var method in methods) yield return method;
    }

    /// <summary>The methods <paramref name="method"/>'s IL calls (call, callvirt, newobj, ldftn).</summary>
    private static IEnumerable<MethodBase> Calls(MethodBase method)
    {
        byte[]? il;
        try { il = method.GetMethodBody()?.GetILAsByteArray(); }
        catch (Exception e) when (e is BadImageFormatException or InvalidOperationException) { yield break; }
        if (il is null) yield break;
        for (var i = 0; i < il.Length;)
        {
            var value = il[i] == 0xFE ? (short)(0xFE00 | il[i + 1]) : il[i];
            if (!OpCodesByValue.TryGetValue(value, out var op)) { i++; continue; }
            i += op.Size;
            var operand = op.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, i),
                _ => 4,
            };
            if (op.OperandType == OperandType.InlineMethod)
            {
                MethodBase? called = null;
                try
                {
                    called = method.Module.ResolveMethod(BitConverter.ToInt32(il, i),
                        method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null,
                        method.IsGenericMethod ? method.GetGenericArguments() : null);
                }
                catch (ArgumentException) { }
                if (called is not null) yield return called;
            }
            i += operand;
        }
    }

    private static class Offender
    {
        public static torch.Tensor Twice(torch.Tensor t) => t.square().add(t);
    }

    private static class CleanCode
    {
        public static torch.Tensor Twice(torch.Tensor t) => t.pow(Maths.CachedScalars.Two);
    }
}
