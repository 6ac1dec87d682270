/**
 * The receive buffer of one connection: a list of chunks that are only joined when a caller needs
 * a contiguous prefix. Framing asks for "the first n bytes" only once n bytes are there, so a large
 * frame arriving one byte at a time is copied once, not once per byte.
 */
export class ByteQueue {
  private chunks: Buffer[] = [];
  private total = 0;

  get length(): number {
    return this.total;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    // Copied: the caller may reuse its buffer after push() returns.
    this.chunks.push(Buffer.from(chunk));
    this.total += chunk.length;
  }

  /** Byte at `offset`; the caller guarantees offset < length. */
  byteAt(offset: number): number {
    let rest = offset;
    for (const chunk of this.chunks) {
      if (rest < chunk.length) return chunk[rest];
      rest -= chunk.length;
    }
    throw new RangeError(`ByteQueue.byteAt(${offset}) beyond ${this.total} bytes`);
  }

  /** The first `count` bytes as one Buffer (a view, valid until the next mutation). */
  peek(count: number): Buffer {
    if (count > this.total) {
      throw new RangeError(`ByteQueue.peek(${count}) beyond ${this.total} bytes`);
    }
    if (this.chunks.length === 0) return Buffer.alloc(0);
    if (this.chunks[0].length < count) {
      let joinedCount = 0;
      let covered = 0;
      while (covered < count) covered += this.chunks[joinedCount++].length;
      const joined = Buffer.concat(this.chunks.slice(0, joinedCount), covered);
      this.chunks.splice(0, joinedCount, joined);
    }
    return this.chunks[0].subarray(0, count);
  }

  /** Removes and returns a copy of the first `count` bytes. */
  take(count: number): Buffer {
    const copy = Buffer.from(this.peek(count));
    this.skip(count);
    return copy;
  }

  skip(count: number): void {
    let rest = Math.min(count, this.total);
    this.total -= rest;
    while (rest > 0) {
      const head = this.chunks[0];
      if (head.length <= rest) {
        this.chunks.shift();
        rest -= head.length;
      } else {
        this.chunks[0] = head.subarray(rest);
        rest = 0;
      }
    }
  }

  clear(): void {
    this.chunks = [];
    this.total = 0;
  }
}
