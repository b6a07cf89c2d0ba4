/**
 * Address families (IANA AFI / SAFI registries) and their names. Names follow the original
 * BaGPipe-BGP (ExaBGP style, "afi/safi"), because its looking glass shows them to clients.
 */

export enum Afi {
  IPv4 = 1,
  IPv6 = 2,
  L2VPN = 25,
}

export enum Safi {
  Unicast = 1,
  Multicast = 2,
  MplsLabel = 4,
  Evpn = 70,
  MplsVpn = 128,
  Rtc = 132,
  FlowSpec = 133,
  FlowSpecVpn = 134,
}

const AFI_NAMES: Record<number, string> = { 1: 'ipv4', 2: 'ipv6', 25: 'l2vpn' };
const SAFI_NAMES: Record<number, string> = {
  1: 'unicast',
  2: 'multicast',
  4: 'nlri-mpls',
  70: 'evpn',
  128: 'mpls-vpn',
  132: 'rtc',
  133: 'flow',
  134: 'flow-vpn',
};

/** A family as one number (afi << 8 | safi), for sets and maps. */
export type FamilyKey = number;

export function familyKey(afi: number, safi: number): FamilyKey {
  return (afi << 8) | safi;
}

export function familyOfKey(key: FamilyKey): { afi: number; safi: number } {
  return { afi: key >>> 8, safi: key & 0xff };
}

/** "ipv4/mpls-vpn", "l2vpn/evpn", or "afi-9/safi-77" for families we have no name for. */
export function familyName(afi: number, safi: number): string {
  return `${AFI_NAMES[afi] ?? `afi-${afi}`}/${SAFI_NAMES[safi] ?? `safi-${safi}`}`;
}

/** Inverse of familyName; undefined when the text is not a family name. */
export function parseFamilyName(text: string): { afi: number; safi: number } | undefined {
  const [a, s, extra] = text.split('/');
  if (a === undefined || s === undefined || extra !== undefined) return undefined;
  const afi = lookup(AFI_NAMES, a, 'afi-', 0xffff);
  const safi = lookup(SAFI_NAMES, s, 'safi-', 0xff);
  return afi === undefined || safi === undefined ? undefined : { afi, safi };
}

function lookup(names: Record<number, string>, text: string, prefix: string, max: number): number | undefined {
  for (const [k, v] of Object.entries(names)) if (v === text) return Number(k);
  if (!text.startsWith(prefix)) return undefined;
  const n = Number(text.slice(prefix.length));
  return Number.isInteger(n) && n >= 0 && n <= max ? n : undefined;
}
