using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using FoamPS.Engine;

namespace FoamPS.Runner
{
    /// <summary>
    /// CPUs and memory of an engine booked by the runs this process started: a run starts only
    /// when what it asks for is free, so many cases keep the CPUs busy without oversubscribing
    /// them. A run that asks for more than the engine has runs alone.
    /// </summary>
    public sealed class ResourceBooking
    {
        private static readonly ConcurrentDictionary<DockerEndpoint, ResourceBooking> PerEngine = new ConcurrentDictionary<DockerEndpoint, ResourceBooking>();

        private readonly object _gate = new object();
        private readonly LinkedList<(double Cpus, long Memory, TaskCompletionSource<bool> Ready)> _waiting =
            new LinkedList<(double, long, TaskCompletionSource<bool>)>();
        private double _cpusBooked;
        private long _memoryBooked;

        public ResourceBooking(double cpus, long memory)
        {
            Cpus = cpus;
            Memory = memory;
        }

        public double Cpus { get; }
        public long Memory { get; }

        /// <summary>The engine's booking, sized from its /info (CPUs, memory).</summary>
        public static async Task<ResourceBooking> ForAsync(EngineClient engine, CancellationToken ct)
        {
            if (PerEngine.TryGetValue(engine.Endpoint, out var known)) return known;
            try
            {
                var info = await engine.Docker.System.GetSystemInfoAsync(ct).ConfigureAwait(false);
                return PerEngine.GetOrAdd(engine.Endpoint, new ResourceBooking(Math.Max(1, info.NCPU), Math.Max(1, info.MemTotal)));
            }
            catch (Exception e) when (!(e is OperationCanceledException))
            {
                throw ErrorTranslation.Translate(e, engine.Endpoint, "read the engine's CPUs and memory");
            }
        }

        /// <summary>Waits until <paramref name="cpus"/> and <paramref name="memory"/> are free, books them, and frees them on Dispose.</summary>
        public async Task<IDisposable> BookAsync(double cpus, long memory, CancellationToken ct)
        {
            cpus = Math.Min(cpus, Cpus);
            memory = Math.Min(memory, Memory);
            TaskCompletionSource<bool> ready;
            LinkedListNode<(double, long, TaskCompletionSource<bool>)> node;
            lock (_gate)
            {
                if (_waiting.Count == 0 && Fits(cpus, memory)) return Take(cpus, memory);
                ready = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                node = _waiting.AddLast((cpus, memory, ready));
            }
            using (ct.Register(() => { lock (_gate) { if (node.List != null) _waiting.Remove(node); } ready.TrySetCanceled(); }))
            {
                await ready.Task.ConfigureAwait(false);
            }
            return new Booking(this, cpus, memory);
        }

        private bool Fits(double cpus, long memory) =>
            _cpusBooked + cpus <= Cpus + 1e-9 && _memoryBooked + memory <= Memory;

        private IDisposable Take(double cpus, long memory)
        {
            _cpusBooked += cpus;
            _memoryBooked += memory;
            return new Booking(this, cpus, memory);
        }

        private void Free(double cpus, long memory)
        {
            var wake = new List<(double Cpus, long Memory, TaskCompletionSource<bool> Ready)>();
            lock (_gate)
            {
                _cpusBooked -= cpus;
                _memoryBooked -= memory;
                // First come, first served: the head waits until it fits, the others wait behind it.
                while (_waiting.First is { } head && Fits(head.Value.Cpus, head.Value.Memory))
                {
                    _waiting.RemoveFirst();
                    _cpusBooked += head.Value.Cpus;
                    _memoryBooked += head.Value.Memory;
                    wake.Add(head.Value);
                }
            }
            // A waiter cancelled meanwhile does not take its booking: give it back.
            foreach (var w in wake)
            {
                if (!w.Ready.TrySetResult(true)) Free(w.Cpus, w.Memory);
            }
        }

        private sealed class Booking : IDisposable
        {
            private ResourceBooking? _owner;
            private readonly double _cpus;
            private readonly long _memory;
            public Booking(ResourceBooking owner, double cpus, long memory) { _owner = owner; _cpus = cpus; _memory = memory; }
            public void Dispose() => Interlocked.Exchange(ref _owner, null)?.Free(_cpus, _memory);
        }
    }
}
