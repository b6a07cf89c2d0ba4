/**
 * A growable byte writer. Out-of-range values throw a WireError ('value-out-of-range'): encoding
 * bad input (from JSON, the API or a bug) fails with a clear message instead of wrapping silently.
 */
import { NotifyCode, WireError } from './errors.js';

function range(what: string, v: number, max: number): void {
  if (!Number.isInteger(v) || v < 0 || v > max) {
    throw new WireError('value-out-of-range', `${what}: ${String(v)} is not an integer in 0..${max}`, 'session-reset', {
      code: NotifyCode.Cease,
      subcode: 0,
    });
  }
}

export class BufferWriter {
  private buf: Buffer;
  private pos = 0;

  constructor(initial = 256) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  get length(): number {
    return this.pos;
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const b = Buffer.allocUnsafe(size);
    this.buf.copy(b, 0, 0, this.pos);
    this.buf = b;
  }

  u8(v: number): this {
    range('u8', v, 0xff);
    this.room(1);
    this.buf[this.pos++] = v;
    return this;
  }
  u16(v: number): this {
    range('u16', v, 0xffff);
    this.room(2);
    this.buf.writeUInt16BE(v, this.pos);
    this.pos += 2;
    return this;
  }
  u24(v: number): this {
    range('u24', v, 0xffffff);
    this.room(3);
    this.buf[this.pos] = v >>> 16;
    this.buf[this.pos + 1] = (v >>> 8) & 0xff;
    this.buf[this.pos + 2] = v & 0xff;
    this.pos += 3;
    return this;
  }
  u32(v: number): this {
    range('u32', v, 0xffffffff);
    this.room(4);
    this.buf.writeUInt32BE(v, this.pos);
    this.pos += 4;
    return this;
  }
  bytes(b: Uint8Array): this {
    this.room(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
    return this;
  }

  /**
   * Writes a length field of `size` bytes (1 or 2) followed by whatever fn writes, then fills the
   * length in. Fails if the content does not fit the field.
   */
  lengthPrefixed(size: 1 | 2, fn: (w: this) => void): this {
    const at = this.pos;
    this.room(size);
    this.pos += size;
    fn(this);
    const len = this.pos - at - size;
    range(`length field (${size} byte)`, len, size === 1 ? 0xff : 0xffff);
    if (size === 1) this.buf[at] = len;
    else this.buf.writeUInt16BE(len, at);
    return this;
  }

  /** Overwrites a 16-bit value at an absolute offset already written (e.g. a message length). */
  patchU16(offset: number, v: number): this {
    range('u16', v, 0xffff);
    this.buf.writeUInt16BE(v, offset);
    return this;
  }

  /** The bytes written so far, copied into an exactly-sized Buffer. */
  finish(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.pos));
  }
}
