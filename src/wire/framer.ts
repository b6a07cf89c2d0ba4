/**
 * Splits a TCP byte stream into BGP messages (RFC 4271 §4.1: each message is self-delimited by
 * the length field of its 19-byte header). Modelled on pg-protocol's parser: the framer is fed
 * chunks as they arrive, returns the whole messages they complete and keeps the remainder.
 *
 * - The header is validated as soon as its 19 bytes are there (header.ts: marker, length bounds,
 *   per-type length, type): a bad header fails at once, without waiting for a body that may never
 *   come, and the error carries the NOTIFICATION to send.
 * - Memory is bounded: the remainder never exceeds one message of the negotiated maximum length.
 * - Frames are views of the chunk when a message lies inside one chunk (no copy), or a fresh
 *   buffer when it spans chunks; a frame is never overwritten later, so callers may keep it.
 * - After an error the stream cannot be resynchronised: every later call fails with that error.
 */
import { MAX_EXTENDED_MESSAGE, MAX_MESSAGE } from './context.js';
import { HeaderSubcode, NotifyCode, WireError } from './errors.js';
import { checkHeader, HEADER_LENGTH } from './header.js';

export interface FramerResult {
  /** Whole messages completed by the chunk, in stream order. */
  frames: Buffer[];
  /** Set when a header after those frames was invalid: the session must reset. */
  error?: WireError;
}

export class MessageFramer {
  private maxLength: number;
  /** The bytes of the message in progress (header-sized until the header is complete). */
  private partial: Buffer | undefined;
  private filled = 0;
  /** Length of the message in progress once its header was read; 0 before. */
  private expected = 0;
  private failure: WireError | undefined;

  constructor(maxLength: number = MAX_MESSAGE) {
    this.maxLength = MAX_MESSAGE;
    this.setMaxLength(maxLength);
  }

  /** Sets the largest acceptable message (4096, or 65535 once RFC 8654 is negotiated). */
  setMaxLength(maxLength: number): void {
    if (!Number.isInteger(maxLength) || maxLength < MAX_MESSAGE || maxLength > MAX_EXTENDED_MESSAGE) {
      throw new WireError(
        'value-out-of-range',
        `framer: maximum message length ${String(maxLength)} is not in ${MAX_MESSAGE}..${MAX_EXTENDED_MESSAGE}`,
        'session-reset',
        { code: NotifyCode.Cease, subcode: 0 },
      );
    }
    this.maxLength = maxLength;
  }

  /** Bytes held of a message not yet complete. */
  get buffered(): number {
    return this.filled;
  }

  /** The error that stopped the stream, if any. */
  get error(): WireError | undefined {
    return this.failure;
  }

  /** Feeds a chunk; returns the completed messages. Throws the WireError of a bad header (frames
   * found before it in the same chunk are then lost: use feed() to process them first). */
  push(chunk: Uint8Array): Buffer[] {
    const r = this.feed(chunk);
    if (r.error) throw r.error;
    return r.frames;
  }

  /** Feeds a chunk; never throws: returns the completed messages and, after them, any error. */
  feed(chunk: Uint8Array): FramerResult {
    const frames: Buffer[] = [];
    if (this.failure) return { frames, error: this.failure };
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const end = buf.length;
    let off = 0;
    try {
      if (this.partial) {
        off = this.fillPartial(buf);
        if (this.filled < HEADER_LENGTH || this.filled < this.expected) return { frames };
        frames.push(this.partial);
        this.partial = undefined;
        this.filled = 0;
        this.expected = 0;
      }
      let length = 0;
      while (end - off >= HEADER_LENGTH) {
        length = checkHeader(buf, off, this.maxLength);
        if (end - off < length) break;
        frames.push(buf.subarray(off, off + length));
        off += length;
        length = 0;
      }
      if (off < end) {
        // A header already checked gives the exact size to hold; otherwise hold the header part.
        this.partial = Buffer.allocUnsafe(length > 0 ? length : HEADER_LENGTH);
        this.filled = buf.copy(this.partial, 0, off, end);
        this.expected = length;
      }
      return { frames };
    } catch (e) {
      this.failure =
        e instanceof WireError
          ? e
          : new WireError('internal', `framer: ${(e as Error)?.message ?? String(e)}`, 'session-reset', {
              code: NotifyCode.MessageHeader,
              subcode: HeaderSubcode.ConnectionNotSynchronized,
            });
      this.partial = undefined;
      this.filled = 0;
      return { frames, error: this.failure };
    }
  }

  /** Completes the message in progress from the start of buf; returns the bytes consumed. */
  private fillPartial(buf: Buffer): number {
    let off = 0;
    let partial = this.partial!;
    if (this.expected === 0) {
      const take = Math.min(HEADER_LENGTH - this.filled, buf.length);
      buf.copy(partial, this.filled, 0, take);
      this.filled += take;
      off = take;
      if (this.filled < HEADER_LENGTH) return off;
      this.expected = checkHeader(partial, 0, this.maxLength);
      if (this.expected > HEADER_LENGTH) {
        const whole = Buffer.allocUnsafe(this.expected);
        partial.copy(whole, 0, 0, HEADER_LENGTH);
        this.partial = partial = whole;
      }
    }
    const take = Math.min(this.expected - this.filled, buf.length - off);
    buf.copy(partial, this.filled, off, off + take);
    this.filled += take;
    return off + take;
  }

  /**
   * The end of the stream: fails (without changing the state) if part of a message is still held,
   * since a peer closing mid-message sent a truncated message.
   */
  end(): void {
    if (this.failure) throw this.failure;
    if (this.filled > 0) {
      throw new WireError(
        'truncated',
        `stream ended inside a message (${this.filled} of ${this.expected || 'at least ' + HEADER_LENGTH} bytes)`,
        'session-reset',
        { code: NotifyCode.MessageHeader, subcode: HeaderSubcode.BadMessageLength },
      );
    }
  }

  /** Drops any partial message and error (a new connection). */
  reset(): void {
    this.partial = undefined;
    this.filled = 0;
    this.expected = 0;
    this.failure = undefined;
  }
}
