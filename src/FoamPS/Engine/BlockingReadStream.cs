using System;
using System.IO;

namespace FoamPS.Engine
{
    /// <summary>
    /// Read-only, forward-only view of a stream that only reads asynchronously (the engine's archive
    /// stream), for synchronous readers such as the tar reader. Use it off the pipeline thread.
    /// </summary>
    internal sealed class BlockingReadStream : Stream
    {
        private readonly Stream _inner;

        public BlockingReadStream(Stream inner) { _inner = inner; }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) =>
            _inner.ReadAsync(buffer, offset, count).ConfigureAwait(false).GetAwaiter().GetResult();

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) _inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
