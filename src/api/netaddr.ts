/**
 * The address syntaxes the original accepted through netaddr 0.8 (rest-api.md §4.1), so that a
 * client that worked with it keeps working:
 * - MAC: netaddr.EUI – EUI-48 as 6 groups of 1-2 hex digits separated by ':' or '-', 3 groups of
 *   1-4 separated by ':', '-' or '.', 2 groups of 5-6, or 11-12 bare digits; EUI-64 likewise;
 * - IP: netaddr.IPNetwork – IPv4 possibly abbreviated ("10.1" = 10.1.0.0, "10/8"), octets with
 *   leading zeros, a prefix length or a dotted netmask; or IPv6. Surrounding blanks are ignored.
 */
import { isIPv6 } from 'node:net';
import type { EndpointIp } from '../vpn/requests.js';

const group = (digits: string, n: number, sep: string): string => `^${Array(n).fill(`[0-9a-f]{${digits}}`).join(sep)}$`;

const MAC_FORMATS = [
  group('1,2', 6, ':'),
  group('1,2', 6, '-'),
  group('1,4', 3, ':'),
  group('1,4', 3, '-'),
  group('1,4', 3, '\\.'),
  group('5,6', 2, '-'),
  group('5,6', 2, ':'),
  '^[0-9a-f]{11,12}$',
  group('1,2', 8, ':'),
  group('1,2', 8, '-'),
  group('1,4', 4, ':'),
  group('1,4', 4, '-'),
  group('1,4', 4, '\\.'),
  '^[0-9a-f]{16}$',
].map((re) => new RegExp(re, 'i'));

export function isValidMac(text: string): boolean {
  return MAC_FORMATS.some((re) => re.test(text));
}

/** Up to four dotted decimal octets: "10.1" is 10.1.0.0, leading zeros dropped (netaddr's inet_aton-like parse). */
const DOTTED = /^(\d{1,3})(?:\.(\d{1,3}))?(?:\.(\d{1,3}))?(?:\.(\d{1,3}))?$/;

function ipv4(addr: string): string | undefined {
  const m = DOTTED.exec(addr);
  if (!m) return undefined;
  const a = Number(m[1]);
  const b = Number(m[2] ?? 0);
  const c = Number(m[3] ?? 0);
  const d = Number(m[4] ?? 0);
  if (a > 255 || b > 255 || c > 255 || d > 255) return undefined;
  return `${a}.${b}.${c}.${d}`;
}

function netmaskLength(mask: string): number | undefined {
  const a = ipv4(mask);
  if (a === undefined || mask.split('.').length !== 4) return undefined;
  const n = a.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  const bits = n.toString(2).padStart(32, '0');
  return /^1*0*$/.test(bits) ? bits.indexOf('0') === -1 ? 32 : bits.indexOf('0') : undefined;
}

/** The endpoint IP of an API string; undefined when netaddr would refuse it. */
export function parseEndpointIp(text: string): EndpointIp | undefined {
  const parts = text.trim().split('/');
  if (parts.length > 2) return undefined;
  const [addr, len] = parts as [string, string | undefined];
  if (addr.includes(':')) {
    if (!isIPv6(addr)) return undefined;
    if (len !== undefined && (!/^\d{1,3}$/.test(len) || Number(len) > 128)) return undefined;
    return { text, address: addr, length: len === undefined ? 128 : Number(len), version: 6 };
  }
  const address = ipv4(addr);
  if (address === undefined) return undefined;
  let length = 32;
  if (len !== undefined) {
    if (/^\d{1,3}$/.test(len) && Number(len) <= 32) length = Number(len);
    else {
      const m = netmaskLength(len);
      if (m === undefined) return undefined;
      length = m;
    }
  }
  return { text, address, length, version: 4 };
}
