/**
 * Software Version capability, code 75 (draft-ietf-idr-software-version §3): a free-form
 * version string, informational. FRR sends it to iBGP peers by default. Text that is not UTF-8 is
 * kept opaque.
 *
 *   +--------------------------------+
 *   | Version Length (1 octet)       |
 *   +--------------------------------+
 *   | Software Version (variable)    |
 *   +--------------------------------+
 */
import type { BufferReader } from '../reader.js';
import type { BufferWriter } from '../writer.js';
import { badInput, expectLength, utf8, type CapabilityCodec } from './codec.js';

export interface SoftwareVersionCapability {
  type: 'software-version';
  version: string;
}

export const softwareVersionCodec: CapabilityCodec<SoftwareVersionCapability> = {
  code: 75,
  type: 'software-version',
  decode(r: BufferReader): SoftwareVersionCapability | undefined {
    expectLength(r, 'software version', r.remaining >= 1, 'at least 1');
    const version = utf8(r.bytes(r.u8()));
    if (!r.atEnd) r.fail('bad-capability-length', `software version: ${r.remaining} byte(s) after the text`);
    return version === undefined ? undefined : { type: 'software-version', version };
  },
  encode(w: BufferWriter, cap: SoftwareVersionCapability): void {
    if (typeof cap.version !== 'string') badInput('software version', 'version is not a string');
    w.lengthPrefixed(1, (x) => x.bytes(Buffer.from(cap.version, 'utf8')));
  },
};
