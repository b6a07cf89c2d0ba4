/**
 * BGP Role capability, code 9 (RFC 9234 §4.1): the speaker's role on this session, used to
 * detect route leaks. Checking that the two roles match (Role Mismatch, OPEN subcode 11) is the
 * session's job. A role value outside the registry is kept opaque.
 *
 *   +------------------------------+
 *   | Capability Code = 9          |
 *   +------------------------------+
 *   | Capability Length = 1        |
 *   +------------------------------+
 *   | Role (1 octet)               |  0 provider, 1 rs-server, 2 rs-client, 3 customer, 4 peer
 *   +------------------------------+
 */
import type { BufferReader } from '../reader.js';
import type { BufferWriter } from '../writer.js';
import { badInput, expectLength, type CapabilityCodec } from './codec.js';

export type BgpRole = 'provider' | 'rs-server' | 'rs-client' | 'customer' | 'peer';

const ROLES: readonly BgpRole[] = ['provider', 'rs-server', 'rs-client', 'customer', 'peer'];

export interface RoleCapability {
  type: 'role';
  role: BgpRole;
}

export const roleCodec: CapabilityCodec<RoleCapability> = {
  code: 9,
  type: 'role',
  decode(r: BufferReader): RoleCapability | undefined {
    expectLength(r, 'role', r.remaining === 1, '1');
    const role = ROLES[r.u8()];
    return role === undefined ? undefined : { type: 'role', role };
  },
  encode(w: BufferWriter, cap: RoleCapability): void {
    const v = ROLES.indexOf(cap.role);
    if (v < 0) badInput('role', `${JSON.stringify(cap.role)} is not one of ${ROLES.join(', ')}`);
    w.u8(v);
  },
};
