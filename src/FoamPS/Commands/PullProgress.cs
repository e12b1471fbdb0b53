using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using FoamPS.Engine;

namespace FoamPS.Commands
{
    /// <summary>
    /// Shows a pull as PowerShell progress: one activity per layer (downloading and extracting,
    /// with bytes and percent) under an overall activity, and verbose lines for the engine's
    /// status messages. Everything it opened is completed at the end, so no bar is left.
    /// </summary>
    internal sealed class PullProgress : IPullObserver
    {
        private static int _nextId = 0x0F1000;
        private static readonly TimeSpan Throttle = TimeSpan.FromMilliseconds(100);

        private readonly FoamCmdlet _cmdlet;
        private readonly string _reference;
        private readonly int _overallId = Interlocked.Increment(ref _nextId);
        private readonly Dictionary<string, Layer> _layers = new Dictionary<string, Layer>();
        private bool _shown;

        private sealed class Layer
        {
            public int Id;
            public bool Done;
            public DateTime LastShown;
            public int LastPercent = -1;
        }

        public PullProgress(FoamCmdlet cmdlet, string reference)
        {
            _cmdlet = cmdlet;
            _reference = reference;
        }

        public void Message(string? layer, string status, long? current, long? total)
        {
            if (layer == null || !IsLayerId(layer))
            {
                if (status.Length == 0) return;
                _cmdlet.PostVerbose(layer == null ? status : $"{layer}: {status}");
                ShowOverall(status);
                return;
            }
            if (!_layers.TryGetValue(layer, out var l))
            {
                l = new Layer { Id = Interlocked.Increment(ref _nextId) };
                _layers[layer] = l;
            }
            if (current == null || total == null || total <= 0)
            {
                _cmdlet.PostVerbose($"{layer}: {status}");
            }
            if (status is "Pull complete" or "Already exists")
            {
                Complete(layer, l, status);
                ShowOverall();
                return;
            }
            var percent = total > 0 && current != null ? (int)Math.Min(100, current.Value * 100 / total.Value) : -1;
            var now = DateTime.UtcNow;
            if (percent == l.LastPercent && now - l.LastShown < Throttle) return;
            if (percent >= 0 && percent != 100 && percent - l.LastPercent < 1 && now - l.LastShown < Throttle) return;
            l.LastShown = now;
            l.LastPercent = percent;
            var text = total > 0 && current != null ? $"{status} {Mib(current.Value)} of {Mib(total.Value)}" : status;
            _cmdlet.PostProgress(new ProgressRecord(l.Id, $"Layer {layer}", text) { ParentActivityId = _overallId, PercentComplete = percent });
            ShowOverall();
        }

        /// <summary>Completes every activity still open (call once the pull ended, however it ended).</summary>
        public void Completed()
        {
            foreach (var kv in _layers)
            {
                if (!kv.Value.Done) Complete(kv.Key, kv.Value, "done");
            }
            if (_shown)
                _cmdlet.PostProgress(new ProgressRecord(_overallId, $"Pulling {_reference}", "done") { RecordType = ProgressRecordType.Completed });
        }

        private void Complete(string layer, Layer l, string status)
        {
            l.Done = true;
            _cmdlet.PostProgress(new ProgressRecord(l.Id, $"Layer {layer}", status) { ParentActivityId = _overallId, RecordType = ProgressRecordType.Completed });
        }

        /// <summary>The overall activity: layers done of layers seen, or the engine's latest whole-image message.</summary>
        private void ShowOverall(string? message = null)
        {
            var done = 0;
            foreach (var l in _layers.Values) if (l.Done) done++;
            _shown = true;
            var status = message ?? $"{done} of {_layers.Count} layers";
            _cmdlet.PostProgress(new ProgressRecord(_overallId, $"Pulling {_reference}", status)
            {
                PercentComplete = _layers.Count == 0 ? -1 : done * 100 / _layers.Count,
            });
        }

        /// <summary>Layer ids are 12 hex digits; other ids (a tag, "latest") carry whole-image messages.</summary>
        private static bool IsLayerId(string id)
        {
            if (id.Length != 12) return false;
            foreach (var c in id) if (!Uri.IsHexDigit(c)) return false;
            return true;
        }

        private static string Mib(long bytes) => $"{bytes / 1048576.0:0.0} MiB";
    }
}
