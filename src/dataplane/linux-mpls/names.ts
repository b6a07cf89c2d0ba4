/**
 * Names and numbers of the kernel MPLS driver (spec dataplane.md §5), kept from the original so
 * that its leftovers are recognised as ours and ours as its: VRF devices `bvrf-<instance id>`
 * bound to routing table `1000 + instance id`, routes and MPLS routes with protocol 19.
 */

export const VRF_PREFIX = 'bvrf-';
export const TABLE_BASE = 1000;
/** rtm_protocol of every route we add (the original's RT_PROT_BAGPIPE). */
export const RT_PROTO = 19;
/** Linux interface names are at most 15 characters (IFNAMSIZ − 1). */
export const IFNAME_MAX = 15;
/** The NBMA GRE device of MPLS-over-GRE mode (ours, like the bvrf- devices). */
export const GRE_DEVICE = 'bmpls-gre';
/** Largest MPLS label + 1: the size of the kernel label table (`net.mpls.platform_labels`). */
export const PLATFORM_LABELS = 2 ** 20 - 1;

export function vrfDevice(instanceId: number): string {
  return `${VRF_PREFIX}${instanceId}`.slice(0, IFNAME_MAX);
}

export function vrfTable(instanceId: number): number {
  return TABLE_BASE + instanceId;
}

/**
 * Whether a name is one the kernel accepts for a network device (net/core/dev.c
 * dev_valid_name): 1 to 15 characters, not "." or "..", no '/', ':' or white space. Names reach
 * batch lines, so anything else (a space, a newline) is refused before it could inject a command.
 */
export function validInterfaceName(name: string): boolean {
  return name.length > 0 && name.length <= IFNAME_MAX && name !== '.' && name !== '..' && !/[/:\s]/.test(name);
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function isIpv4(text: string): boolean {
  return IPV4.test(text);
}

function toInt(address: string): number {
  return address.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
}

function fromInt(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** Broadcast address of address/length (the gateway address of plugged ports carries it). */
export function broadcastOf(address: string, length: number): string {
  const host = length >= 32 ? 0 : 0xffffffff >>> length;
  return fromInt((toInt(address) | host) >>> 0);
}

/** A MAC as iproute2 prints it: lower case. */
export function normalMac(mac: string): string {
  return mac.toLowerCase();
}

/** 20-bit MPLS label, excluding the reserved 0-15 (RFC 3032 §2.1). */
export function validLabel(label: number): boolean {
  return Number.isInteger(label) && label >= 16 && label < 2 ** 20;
}
