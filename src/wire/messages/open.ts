/**
 * OPEN message body, RFC 4271 §4.2, with capabilities (RFC 5492) and the extended optional
 * parameters length of RFC 9072.
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+
 *   |    Version    |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |     My Autonomous System      |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |           Hold Time           |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                         BGP Identifier                        |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   | Opt Parm Len  |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |             Optional Parameters (variable)                    |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Each optional parameter is Parm. Type (1) · Parm. Length (1) · value; type 2 holds one or more
 * capabilities. RFC 9072 §2: when Opt Parm Len is non-zero and the next byte is 255, the form is
 * extended: Opt Parm Len = 255 ("Non-Ext OP Len"), 255 ("Non-Ext OP Type"), a 2-byte Extended
 * Opt. Parm. Length, and every parameter has a 2-byte length.
 *
 * Only structural errors are raised here (bad version, lengths that do not add up, malformed
 * capability values). Policy (peer AS, hold time 1-2, BGP identifier, unsupported optional
 * parameters or capabilities) is the session's job.
 */
import { NotifyCode, OpenSubcode, WireError, type NotificationSpec } from '../errors.js';
import { fromHex, toHex } from '../hex.js';
import { ipToBytes, ipv4ToText } from '../ip.js';
import { BufferReader, type ShortReadPolicy } from '../reader.js';
import { BufferWriter } from '../writer.js';
import { capabilitiesOfType, readCapability, writeCapability, type Capability } from '../capabilities/index.js';

export const BGP_VERSION = 4;

/** Optional parameter type 2 (RFC 5492 §4). */
export const CAPABILITIES_PARAMETER = 2;

/**
 * How the optional parameters were laid out, when not the default (one capabilities parameter
 * per capability, as the original BaGPipe and FRR send them): GoBGP groups all its capabilities
 * in one parameter; other parameter types are kept opaque.
 */
export type OpenParameter =
  /** A capabilities parameter holding the next `count` entries of `capabilities`. */
  | { type: 'capabilities'; count: number }
  /** Any other parameter type (e.g. the deprecated authentication parameter, type 1). */
  | { type: 'opaque'; code: number; hex: string };

export interface OpenMessage {
  type: 'open';
  version: number;
  /** 2-octet AS; AS_TRANS (23456) when the real AS is in the four-octet-as capability. */
  myAs: number;
  /** Proposed hold time, seconds. */
  holdTime: number;
  /** BGP identifier, dotted quad. */
  bgpId: string;
  /** Every capability, in wire order, whatever parameters held them. */
  capabilities: Capability[];
  /** Parameter layout, only when it is not one capabilities parameter per capability. */
  params?: OpenParameter[];
  /** RFC 9072 extended parameters length used although the parameters fit the classic form. */
  extendedParams?: true;
}

const OPEN_ERROR: NotificationSpec = { code: NotifyCode.Open, subcode: 0 };
const OPEN_POLICY: ShortReadPolicy = { what: 'OPEN', outcome: 'session-reset', notification: OPEN_ERROR };

function openError(code: string, message: string): never {
  throw new WireError(code, `OPEN: ${message}`, 'session-reset', OPEN_ERROR);
}

export function decodeOpenBody(body: Buffer): OpenMessage {
  const r = BufferReader.of(body, OPEN_POLICY);
  const version = r.u8();
  if (version !== BGP_VERSION) {
    // RFC 4271 §6.2: the data is the largest supported version (2 octets).
    throw new WireError('unsupported-version', `OPEN: version ${version}, only ${BGP_VERSION} is supported`, 'session-reset', {
      code: NotifyCode.Open,
      subcode: OpenSubcode.UnsupportedVersion,
      data: Uint8Array.of(0, BGP_VERSION),
    });
  }
  const myAs = r.u16();
  const holdTime = r.u16();
  const bgpId = ipv4ToText(r.bytes(4));
  const optLen = r.u8();
  let extended = false;
  let p: BufferReader;
  if (optLen !== 0 && r.remaining > 0 && r.peek() === 255) {
    extended = true;
    r.skip(1);
    if (r.remaining < 2) openError('bad-open-length', 'extended optional parameters length is missing');
    p = subOrFail(r, r.u16(), 'extended optional parameters length');
  } else {
    p = subOrFail(r, optLen, 'optional parameters length');
  }
  if (!r.atEnd) openError('bad-open-length', `${r.remaining} byte(s) after the optional parameters`);

  const capabilities: Capability[] = [];
  const params: OpenParameter[] = [];
  let layoutIsDefault = true;
  let classicLength = 0; // length of the parameters in the classic form: is RFC 9072 needed?
  while (!p.atEnd) {
    const code = p.u8();
    const len = extended ? p.u16() : p.u8();
    const v = subOrFail(p, len, `optional parameter ${code} length`);
    classicLength += 2 + len;
    if (len > 255) classicLength = Infinity;
    if (code === CAPABILITIES_PARAMETER) {
      let count = 0;
      while (!v.atEnd) {
        capabilities.push(readCapability(v));
        count++;
      }
      if (count !== 1) layoutIsDefault = false;
      params.push({ type: 'capabilities', count });
    } else {
      layoutIsDefault = false;
      params.push({ type: 'opaque', code, hex: toHex(v.rest()) });
    }
  }
  const open: OpenMessage = { type: 'open', version, myAs, holdTime, bgpId, capabilities };
  if (!layoutIsDefault) open.params = params;
  if (extended && classicLength <= 255) open.extendedParams = true;
  return open;
}

function subOrFail(r: BufferReader, n: number, what: string): BufferReader {
  if (r.remaining < n) openError('bad-open-length', `${what} ${n} exceeds the ${r.remaining} byte(s) left`);
  return r.sub(n, OPEN_POLICY);
}

export function encodeOpenBody(w: BufferWriter, msg: OpenMessage): void {
  if (!Array.isArray(msg.capabilities)) openError('bad-open', 'capabilities is not an array');
  const layout = msg.params ?? msg.capabilities.map((): OpenParameter => ({ type: 'capabilities', count: 1 }));
  // Each parameter's value first: their lengths decide between the classic and RFC 9072 forms.
  const values: { code: number; value: Buffer }[] = [];
  let next = 0;
  for (const param of layout) {
    if (param.type === 'capabilities') {
      if (!Number.isInteger(param.count) || param.count < 0 || next + param.count > msg.capabilities.length) {
        openError('bad-open-params', `params: a capabilities parameter of ${param.count} goes past the capabilities list`);
      }
      const v = new BufferWriter(64);
      for (let i = 0; i < param.count; i++) writeCapability(v, msg.capabilities[next++]!);
      values.push({ code: CAPABILITIES_PARAMETER, value: v.finish() });
    } else if (param.type === 'opaque') {
      values.push({ code: param.code, value: fromHex(param.hex) });
    } else {
      openError('bad-open-params', `params: unknown parameter ${JSON.stringify(param)}`);
    }
  }
  if (next !== msg.capabilities.length) {
    openError('bad-open-params', `params place ${next} of the ${msg.capabilities.length} capabilities`);
  }
  let classic = 0;
  for (const { value } of values) classic += value.length > 255 ? Infinity : 2 + value.length;
  const extended = msg.extendedParams === true || classic > 255;

  w.u8(msg.version).u16(msg.myAs).u16(msg.holdTime);
  const id = ipToBytes(msg.bgpId);
  if (id.length !== 4) openError('bad-open', `BGP identifier ${msg.bgpId} is not an IPv4 address`);
  w.bytes(id);
  if (extended) {
    w.u8(255).u8(255);
    w.lengthPrefixed(2, (x) => {
      for (const { code, value } of values) x.u8(code).u16(value.length).bytes(value);
    });
  } else {
    if (values[0]?.code === 255) {
      openError('bad-open-params', 'a first optional parameter of type 255 reads as the RFC 9072 marker: set extendedParams');
    }
    w.u8(classic);
    for (const { code, value } of values) w.u8(code).u8(value.length).bytes(value);
  }
}

/** The peer's AS: from the four-octet-as capability when present (RFC 6793 §3), else My AS. */
export function peerAs(open: OpenMessage): number {
  const as4 = capabilitiesOfType(open.capabilities, 'four-octet-as')[0];
  return as4 ? as4.as : open.myAs;
}
