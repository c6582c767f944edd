using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading;
using TorchSharp;

namespace VaeGen.Maths;

/// <summary>
/// One background thread, kept for the process, that shares a C# pass with the thread that asks for it:
/// <see cref="Run"/> calls the work on both threads at once and returns when both have finished. The work divides
/// itself (both calls take units from a shared counter), so the result must not depend on which thread took which unit.
/// </summary>
/// <remarks>
/// The thread pool's <c>Parallel.For</c> started its second part up to 1.6 ms late in one call out of ten on this
/// project's 2-core machine, where a part lasts about 3 ms; this thread waits for work spinning for a
/// millisecond, then asleep, and starts within microseconds of being asked. One caller at a time: a second caller
/// that finds the thread busy does all of its work alone.
/// </remarks>
internal sealed class SecondThread
{
    private static readonly Lazy<SecondThread> shared = new(() => new SecondThread());
    private int taken; // 1 while a caller's Run holds the thread; not a lock, which would let the holder's own nested call in
    private readonly ManualResetEventSlim posted = new(false, spinCount: 0);
    private Action? work;
    private int pending; // 1 while the second thread has work posted or running
    private ExceptionDispatchInfo? failure;

    /// <summary>How long the idle thread spins for the next piece of work before it sleeps.</summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 1_000; // 1 ms

    private SecondThread()
    {
        var thread = new Thread(Serve) { IsBackground = true, Name = "VaeGen second thread" };
        thread.Start();
    }

    /// <summary>The process's second thread, started at first use.</summary>
    public static SecondThread Shared => shared.Value;

    /// <summary>
    /// Calls <paramref name="work"/> on this thread and on the second one, and returns when both calls have returned.
    /// If the second thread is serving another caller, or this very call's work (a nested call), calls it here alone. An
    /// exception from either call is rethrown.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(Action work)
    {
        if (Interlocked.CompareExchange(ref taken, 1, 0) != 0)
        {
            work();
            return;
        }
        try
        {
            this.work = work;
            Volatile.Write(ref pending, 1);
            posted.Set();
            ExceptionDispatchInfo? here = null;
            try
            {
                work();
            }
            catch (Exception e)
            {
                here = ExceptionDispatchInfo.Capture(e);
            }
            var wait = new SpinWait();
            while (Volatile.Read(ref pending) != 0) wait.SpinOnce(sleep1Threshold: -1);
            this.work = null;
            var there = failure;
            failure = null;
            here?.Throw();
            there?.Throw();
        }
        finally
        {
            Volatile.Write(ref taken, 0);
        }
    }

    /// <summary>
    /// Whether sharing a pass with the second thread is worth it: libtorch may use more than one thread
    /// (<paramref name="libtorchThreads"/>, the user's setting) and the machine has more than one core.
    /// </summary>
    public static bool Worthwhile(int libtorchThreads) => libtorchThreads > 1 && Environment.ProcessorCount > 1;

    /// <summary><see cref="Worthwhile(int)"/> for the calling thread's libtorch thread count.</summary>
    public static bool Worthwhile() => Worthwhile(torch.get_num_threads());

    /// <summary>
    /// Calls <paramref name="body"/>(worker, item) once for each item in [0, <paramref name="count"/>): with
    /// <paramref name="share"/>, this thread and the second one take the items in turn from a shared counter (worker 0
    /// or 1, distinct between the two calls running at once, for per-thread buffers), through <see cref="Run"/>; without,
    /// or for a single item, this thread takes them all as worker 0. Which thread took an item must not change its result.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void For(int count, Action<int, int> body, bool share = true)
    {
        if (!share || count < 2)
        {
            for (var item = 0; item < count; item++) body(0, item);
            return;
        }
        var next = -1;
        var workers = -1;
        Run([MethodImpl(MethodImplOptions.AggressiveOptimization)] () =>
        {
            var worker = Interlocked.Increment(ref workers);
            for (var item = Interlocked.Increment(ref next); item < count; item = Interlocked.Increment(ref next)) body(worker, item);
        });
    }

    /// <summary>
    /// Wakes the second thread if it sleeps, so that it is spinning, ready, when <see cref="Run"/> comes: a caller with
    /// some other work to do first calls this before that work. Waking a sleeping thread took up to a millisecond on this
    /// project's virtual machine, longer than spinning threads take to see new work.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Wake() => posted.Set();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Serve()
    {
        while (true)
        {
            var started = Stopwatch.GetTimestamp();
            while (Volatile.Read(ref pending) == 0 && Stopwatch.GetTimestamp() - started < SpinTicks) Thread.SpinWait(8);
            if (Volatile.Read(ref pending) == 0)
            {
                posted.Wait(); // then spin again: a Wake, or work
                posted.Reset();
                continue;
            }
            try
            {
                work!();
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
            Volatile.Write(ref pending, 0);
        }
    }
}
