/**
 * FQDN (hostname) capability, code 73 (draft-walton-bgp-hostname-capability §3): the speaker's
 * host and domain names, informational (FRR sends it by default). Text that is not UTF-8 is kept
 * opaque.
 *
 *   +--------------------------------+
 *   | Hostname Length (1 octet)      |
 *   +--------------------------------+
 *   | Hostname (variable)            |
 *   +--------------------------------+
 *   | Domain Name Length (1 octet)   |
 *   +--------------------------------+
 *   | Domain Name (variable)         |
 *   +--------------------------------+
 */
import type { BufferReader } from '../reader.js';
import type { BufferWriter } from '../writer.js';
import { badInput, expectLength, utf8, type CapabilityCodec } from './codec.js';

export interface FqdnCapability {
  type: 'fqdn';
  hostname: string;
  /** Empty when the speaker has no domain name. */
  domain: string;
}

function writeText(w: BufferWriter, what: string, text: string): void {
  if (typeof text !== 'string') badInput('FQDN', `${what} is not a string`);
  w.lengthPrefixed(1, (x) => x.bytes(Buffer.from(text, 'utf8')));
}

export const fqdnCodec: CapabilityCodec<FqdnCapability> = {
  code: 73,
  type: 'fqdn',
  decode(r: BufferReader): FqdnCapability | undefined {
    expectLength(r, 'FQDN', r.remaining >= 2, 'at least 2');
    const hostname = utf8(r.bytes(r.u8()));
    const domain = utf8(r.bytes(r.u8()));
    if (!r.atEnd) r.fail('bad-capability-length', `FQDN: ${r.remaining} byte(s) after the domain name`);
    return hostname === undefined || domain === undefined ? undefined : { type: 'fqdn', hostname, domain };
  },
  encode(w: BufferWriter, cap: FqdnCapability): void {
    writeText(w, 'hostname', cap.hostname);
    writeText(w, 'domain', cap.domain);
  },
};
