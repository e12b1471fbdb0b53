using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet;
using FoamPS.Runner;
using Xunit;

namespace FoamPS.Tests
{
    public class OutputPumpTests
    {
        private sealed class Recorder : IRunObserver
        {
            public bool WantsLines { get; init; } = true;
            public List<string> Lines { get; } = new();
            public List<string> Statuses { get; } = new();
            public void Line(string line) => Lines.Add(line);
            public void Status(FoamPS.Foam.SolverStatus status) => Statuses.Add(status.LatestLine);
            public void Verbose(string message) { }
            public void Warning(string message) { }
            public FoamPS.Engine.IPullObserver Pulling(string reference) => throw new System.NotSupportedException();
        }

        /// <summary>Docker's multiplexed framing: [stream, 0, 0, 0, size (big endian)] then the payload.</summary>
        private static byte[] Frames(params (int stream, byte[] payload)[] frames)
        {
            var ms = new MemoryStream();
            foreach (var (stream, payload) in frames)
            {
                ms.Write(new byte[] { (byte)stream, 0, 0, 0 });
                ms.Write(BitConverter.GetBytes(payload.Length).Reverse().ToArray());
                ms.Write(payload);
            }
            return ms.ToArray();
        }

        [Fact]
        public async Task WritesStdoutAndStderrInArrivalOrderByteForByte()
        {
            var check = Encoding.UTF8.GetBytes("✓");
            var frames = new (int, byte[])[]
            {
                (1, Encoding.UTF8.GetBytes("Time = 0.1\n")),
                (2, Encoding.UTF8.GetBytes("warning: ")),
                (2, check.Take(1).ToArray()),               // a character split across frames
                (2, check.Skip(1).ToArray().Concat(Encoding.UTF8.GetBytes("\n")).ToArray()),
                (1, new byte[] { 0xff, 0xfe, (byte)'\n' }),  // not UTF-8: kept as bytes in the log
                (1, Encoding.UTF8.GetBytes("End")),          // no final newline
            };
            var expected = frames.SelectMany(f => f.Item2).ToArray();
            using var stream = new MultiplexedStream(new MemoryStream(Frames(frames)), true);
            var log = new MemoryStream();
            var tail = new LogTail();
            var recorder = new Recorder();

            await new OutputPump(stream, log, tail, recorder).RunAsync(CancellationToken.None);

            Assert.Equal(expected, log.ToArray());
            Assert.Equal(expected.Length, tail.Written);
            Assert.Equal(new[] { "Time = 0.1", "warning: ✓", "\uFFFD\uFFFD", "End" }, recorder.Lines);
            Assert.Equal("End", recorder.Statuses.Last());
        }

        [Fact]
        public async Task DecodesNothingWhenNoOneWantsLines()
        {
            var payload = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 1000).Select(i => $"line {i}\n")));
            using var stream = new MultiplexedStream(new MemoryStream(Frames((1, payload))), true);
            var recorder = new Recorder { WantsLines = false };
            var log = new MemoryStream();
            await new OutputPump(stream, log, new LogTail(), recorder).RunAsync(CancellationToken.None);
            Assert.Empty(recorder.Lines);
            Assert.Equal(payload, log.ToArray());
            Assert.Equal("line 999", recorder.Statuses.Last());
        }
    }
}
