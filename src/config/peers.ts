/**
 * The effective list of BGP peers (our extension; the original only has `[BGP] peers`):
 *
 * - every address of `[BGP] peers` is an iBGP peer with default settings, as in the original;
 * - a `[BGP_PEER:<address>]` section (any case, like every section) sets options for the peer
 *   with that address, adding it when it is not in `[BGP] peers`;
 * - order: `[BGP] peers` first, then the other sections in order of first appearance.
 *
 * Unset per-peer options follow `[BGP]`: remote_as and local_as = my_as, port = bgp_port,
 * families = the original's (RTC only with enable_rtc).
 */

import ipaddr from 'ipaddr.js';
import { ConfigError } from './errors.js';
import type { ConfigWarning } from './errors.js';
import { defaultFamilies, PEER_OPTS, PEER_SECTION_PREFIX } from './options.js';
import type { BgpOptions, PeerConfig } from './options.js';
import type { Resolver } from './resolver.js';
import { isIPv4, isIPv6 } from './types.js';

/** A `[BGP_PEER:x]` section found in some file. */
export interface PeerSection {
  /** Normalised section name (`bgp_peer:10.0.0.1`). */
  readonly section: string;
  readonly file: string;
  readonly line: number;
}

const PREFIX = PEER_SECTION_PREFIX.toLowerCase();

export function isPeerSection(normalizedName: string): boolean {
  return normalizedName.startsWith(PREFIX);
}

/** Canonical text of a peer address: IPv4 as is, IPv6 compressed lower case, names as given. */
export function canonicalPeerAddress(address: string): string {
  return isIPv6(address) ? ipaddr.IPv6.parse(address).toString() : address;
}

/** Registered group name of a peer section: `BGP_PEER:<address as written, lower case>`. */
export function peerGroupName(section: PeerSection): string {
  return PEER_SECTION_PREFIX + section.section.slice(PREFIX.length);
}

export function buildPeers(resolver: Resolver, bgp: BgpOptions, sections: readonly PeerSection[], warnings: ConfigWarning[]): PeerConfig[] {
  const byAddress = new Map<string, PeerSection>();
  for (const s of sections) {
    const address = s.section.slice(PREFIX.length);
    if (!isIPv4(address) && !isIPv6(address)) {
      throw new ConfigError('invalid', `invalid section [${PEER_SECTION_PREFIX}${address}] in ${s.file}:${s.line}: ${address} is not an IPv4 or IPv6 address`, s.file, s.line);
    }
    const canonical = canonicalPeerAddress(address);
    const other = byAddress.get(canonical);
    if (other !== undefined) {
      throw new ConfigError('invalid', `sections [${peerGroupName(other)}] and [${peerGroupName(s)}] (${s.file}:${s.line}) name the same peer`, s.file, s.line);
    }
    byAddress.set(canonical, s);
    resolver.register(peerGroupName(s), PEER_OPTS);
  }

  const peers: PeerConfig[] = [];
  const seen = new Set<string>();
  const add = (address: string, section: PeerSection | undefined): void => {
    const group = section === undefined ? undefined : peerGroupName(section);
    const get = <T>(name: string): T => (group === undefined ? PEER_OPTS.find((o) => o.name === name)?.default : resolver.value(group, name)) as T;
    const families = get<string[] | null>('families');
    peers.push({
      address,
      remote_as: get<number | null>('remote_as') ?? bgp.my_as,
      local_as: get<number | null>('local_as') ?? bgp.my_as,
      port: get<number | null>('port') ?? bgp.bgp_port,
      passive: get<boolean>('passive'),
      families: families === null ? defaultFamilies(bgp.enable_rtc) : [...new Set(families)],
      max_prefix: get<number | null>('max_prefix'),
      hold_time: get<number>('hold_time'),
      add_path_receive: [...new Set(get<string[]>('add_path_receive'))],
    });
  };

  for (const address of bgp.peers) {
    const canonical = canonicalPeerAddress(address);
    if (seen.has(canonical)) {
      warnings.push({ code: 'duplicate-peer', message: `peer ${address} is listed more than once in [BGP] peers: only one session is made` });
      continue;
    }
    seen.add(canonical);
    if (!isIPv4(address)) {
      warnings.push({ code: 'peer-hostname', message: `peer ${address} is not an IPv4 address: host names are not resolved (as in the original, the peer cannot be reached)` });
    }
    add(canonical, byAddress.get(canonical));
  }
  for (const [canonical, section] of byAddress) {
    if (seen.has(canonical)) continue;
    seen.add(canonical);
    add(canonical, section);
  }

  if (bgp.listen_port === null) {
    for (const p of peers) {
      if (p.passive) {
        warnings.push({ code: 'passive-without-listener', message: `peer ${p.address} is passive but [BGP] listen_port is not set: no session can come up` });
      }
    }
  }
  return peers;
}
