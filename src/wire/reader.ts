/**
 * A bounded reader over a byte slice. Every read checks its bounds and fails with a WireError
 * whose outcome and NOTIFICATION are those given at construction, so a short read inside an
 * attribute maps to "attribute length error" and one inside a message header to "bad message
 * length", without each decoder repeating the checks.
 */
import { HeaderSubcode, NotifyCode, WireError, type ErrorOutcome, type NotificationSpec } from './errors.js';

export interface ShortReadPolicy {
  /** Context for the message, e.g. 'MP_REACH_NLRI'. */
  what: string;
  outcome: ErrorOutcome;
  notification: NotificationSpec;
}

const DEFAULT_POLICY: ShortReadPolicy = {
  what: 'message',
  outcome: 'session-reset',
  notification: { code: NotifyCode.MessageHeader, subcode: HeaderSubcode.BadMessageLength },
};

export class BufferReader {
  private pos: number;
  private readonly end: number;

  constructor(
    private readonly buf: Buffer,
    start = 0,
    end = buf.length,
    readonly policy: ShortReadPolicy = DEFAULT_POLICY,
  ) {
    this.pos = start;
    this.end = end;
  }

  static of(bytes: Uint8Array, policy?: ShortReadPolicy): BufferReader {
    const b = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return new BufferReader(b, 0, b.length, policy);
  }

  get offset(): number {
    return this.pos;
  }
  get remaining(): number {
    return this.end - this.pos;
  }
  get atEnd(): boolean {
    return this.pos >= this.end;
  }

  /** Throws this reader's error: the code says what was short. */
  fail(code: string, message: string): never {
    throw new WireError(code, `${this.policy.what}: ${message}`, this.policy.outcome, this.policy.notification);
  }

  private need(n: number): void {
    if (this.end - this.pos < n) this.fail('truncated', `need ${n} byte(s), ${this.end - this.pos} left`);
  }

  u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }
  u16(): number {
    this.need(2);
    const v = this.buf.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }
  u24(): number {
    this.need(3);
    const b = this.buf;
    const p = this.pos;
    this.pos += 3;
    return (b[p]! << 16) | (b[p + 1]! << 8) | b[p + 2]!;
  }
  u32(): number {
    this.need(4);
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  /** Next byte without consuming it. */
  peek(): number {
    this.need(1);
    return this.buf[this.pos]!;
  }
  /** n bytes as a view (no copy): do not keep it past the input buffer's life if that matters. */
  bytes(n: number): Buffer {
    this.need(n);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }
  /** n bytes copied (safe to keep). */
  copy(n: number): Buffer {
    return Buffer.from(this.bytes(n));
  }
  skip(n: number): void {
    this.need(n);
    this.pos += n;
  }
  /** The rest of this reader's range as a view, consuming it. */
  rest(): Buffer {
    return this.bytes(this.remaining);
  }
  /** A reader over the next n bytes (consumed here), with its own short-read policy. */
  sub(n: number, policy: ShortReadPolicy = this.policy): BufferReader {
    this.need(n);
    const r = new BufferReader(this.buf, this.pos, this.pos + n, policy);
    this.pos += n;
    return r;
  }
}
