using System;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace CnnGen.Training;

/// <summary>
/// Runs numbered work items on the calling thread and up to <c>threads - 1</c> thread-pool
/// threads, without allocating per run: the same work-item object is queued each time and
/// threads claim item numbers with an interlocked counter. Which thread runs an item does not
/// change its result; callers combine results in item order.
/// </summary>
internal sealed class ChunkRunner : IThreadPoolWorkItem
{
    // Completion: a flag and a monitor on an object made up front, because ManualResetEventSlim
    // allocates its lock the first time a wait has to block.
    private readonly object _gate = new();
    private bool _finished;
    private Action<int>? _work;
    private int _count;
    private int _next;
    private int _helpers;
    private ExceptionDispatchInfo? _error;
    private long _helperAllocatedBytes;

    public ChunkRunner(int threads) => Threads = Math.Max(1, threads);

    /// <summary>Bytes allocated by helper threads while running items: lets tests prove the steady state allocates nothing.</summary>
    internal long HelperAllocatedBytes => Interlocked.Read(ref _helperAllocatedBytes);

    public int Threads { get; }

    /// <summary>Runs work(0) .. work(count - 1) and returns when all are done; rethrows the first exception.</summary>
    public void Run(int count, Action<int> work)
    {
        var helpers = Math.Min(Threads, count) - 1;
        if (helpers <= 0)
        {
            for (var i = 0; i < count; i++)
            {
                work(i);
            }

            return;
        }

        _work = work;
        _count = count;
        _next = -1;
        _error = null;
        _helpers = helpers;
        _finished = false;
        for (var i = 0; i < helpers; i++)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }

        Claim();
        var spinner = default(SpinWait);
        while (!Volatile.Read(ref _finished) && !spinner.NextSpinWillYield)
        {
            spinner.SpinOnce();
        }

        lock (_gate)
        {
            while (!_finished)
            {
                Monitor.Wait(_gate);
            }
        }

        _work = null;
        _error?.Throw();
    }

    void IThreadPoolWorkItem.Execute()
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        Claim();
        Interlocked.Add(ref _helperAllocatedBytes, GC.GetAllocatedBytesForCurrentThread() - before);
        if (Interlocked.Decrement(ref _helpers) == 0)
        {
            lock (_gate)
            {
                _finished = true;
                Monitor.PulseAll(_gate);
            }
        }
    }

    private void Claim()
    {
        var work = _work!;
        int item;
        while ((item = Interlocked.Increment(ref _next)) < _count)
        {
            try
            {
                work(item);
            }
            catch (Exception exception)
            {
                Interlocked.CompareExchange(ref _error, ExceptionDispatchInfo.Capture(exception), null);
            }
        }
    }
}
