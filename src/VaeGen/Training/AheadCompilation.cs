using System;
using System.Collections.Generic;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace VaeGen.Training;

/// <summary>
/// Compiles ahead of their first call, on a background thread, the methods of some types that are marked
/// <see cref="MethodImplOptions.AggressiveOptimization"/>: the runtime compiles those fully optimized on the thread that
/// first calls them, where other methods start with a quick unoptimized compilation. The types a step of the compiled
/// step runs through have 46 of them (some are alternatives, such as the two forms of the likelihood's pass), 92-107 ms
/// of compilation together on this project's machine; the first 27 (81-115 ms when they were all) had made the first
/// step take 40-70 ms where the others take 6-8. The other 19 are the step's glue (the session's batches, the halves'
/// work, the second thread), marked so that the runtime does not compile them twice more, with and then from a profile,
/// on its background thread during the first epoch, where on two threads it competes with the step for the cores.
/// </summary>
internal sealed class AheadCompilation
{
    private readonly Type[] types;
    private readonly Lazy<Task<Outcome>> run;

    /// <param name="types">The types whose methods (and whose nested types' methods) to compile.</param>
    public AheadCompilation(params Type[] types)
    {
        this.types = types;
        run = new Lazy<Task<Outcome>>(Begin, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The methods compiled ("Type.Method") and those that could not be, with the reason.</summary>
    public sealed record Outcome(IReadOnlyList<string> Compiled, IReadOnlyList<string> Failed);

    /// <summary>
    /// Starts the compilation the first time it is called, and returns at once; later calls return the same task. The
    /// task never faults: a method that cannot be compiled ahead is left to the runtime's first call and named in the
    /// outcome, and so is a failure to start the thread or to read the types.
    /// </summary>
    public Task<Outcome> Start() => run.Value;

    private Task<Outcome> Begin()
    {
        var done = new TaskCompletionSource<Outcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            // A thread of its own rather than the pool's: it is started while the caller is busy on its own thread, and
            // must not wait behind the application's work items.
            var thread = new Thread(() => done.SetResult(CompileAll()))
            {
                IsBackground = true,
                Name = "VaeGen early JIT",
            };
            thread.Start();
        }
        catch (Exception exception)
        {
            // An optimization must never make Fit fail: without the thread, the runtime compiles at the first calls.
            done.SetResult(new Outcome(Array.Empty<string>(), new[] { $"The compilation thread did not start: {exception.Message}" }));
        }
        return done.Task;
    }

    private Outcome CompileAll()
    {
        var compiled = new List<string>();
        var failed = new List<string>();
        try
        {
            var pending = new Queue<Type>(types);
            while (pending.Count > 0)
            {
                var type = pending.Dequeue();
                foreach (var nested in type.GetNestedTypes(BindingFlags.Public | BindingFlags.NonPublic)) pending.Enqueue(nested);
                if (type.ContainsGenericParameters) continue;
                const BindingFlags declared = BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;
                foreach (var method in type.GetMethods(declared))
                {
                    if (!method.MethodImplementationFlags.HasFlag(MethodImplAttributes.AggressiveOptimization) || method.ContainsGenericParameters) continue;
                    try
                    {
                        RuntimeHelpers.PrepareMethod(method.MethodHandle);
                        compiled.Add($"{type.Name}.{method.Name}");
                    }
                    catch (Exception exception)
                    {
                        // Whatever stops one method (a type that does not load, a method the JIT refuses) leaves it to
                        // its first call and the others to this thread.
                        failed.Add($"{type.FullName}.{method.Name}: {exception.GetType().Name}: {exception.Message}");
                    }
                }
            }
        }
        catch (Exception exception)
        {
            // An unhandled exception on this thread would end the process; what was not compiled is compiled at first call.
            failed.Add($"Reading the types failed: {exception.GetType().Name}: {exception.Message}");
        }
        return new Outcome(compiled, failed);
    }
}
