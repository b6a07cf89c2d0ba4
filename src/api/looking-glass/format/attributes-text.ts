/**
 * The `attributes` of a route object (spec looking-glass.md §2.9): every path attribute except
 * ORIGIN and AS_PATH (and AS4_PATH / AS4_AGGREGATOR, which the original's library merged into
 * them), keyed by its ExaBGP name, each value a string in ExaBGP's text.
 */
import type { PathAttribute } from '../../../wire/attributes/registry.js';
import { lgExtCommunitiesText } from './ext-community-text.js';

/** ExaBGP names of attribute codes the codec keeps as unknown. */
const UNKNOWN_NAMES: Readonly<Record<number, string>> = { 23: 'tunnel-encaps', 25: 'extended-community-ipv6', 26: 'aigp', 29: 'bgp-ls', 40: 'bgp-prefix-sid' };

/** One value alone, several as "[ a b ]" (ExaBGP's community lists). */
function listText(items: readonly string[], bracketOne = false): string {
  return items.length === 1 && !bracketOne ? items[0]! : `[ ${items.join(' ')} ]`;
}

/**
 * PMSI tunnel: "pmsi:ingressreplication:<flags>:<label>(<raw>):<tunnel>". The original shows its
 * own routes' label as 0 followed by the raw field (it builds them with the raw VNI only), and a
 * received one as the field shifted right by 4: reproduced with `local`.
 */
function pmsiText(a: Extract<PathAttribute, { type: 'pmsi-tunnel' }>, local: boolean): string {
  const type = typeof a.tunnelType === 'number' ? 'unknown' : a.tunnelType.replaceAll('-', '');
  const label = a.label === 0 ? '0' : `${local ? 0 : a.label >>> 4}(${a.label})`;
  const tunnel = a.tunnelId.kind === 'address' ? a.tunnelId.address : `0x${a.tunnelId.hex.toUpperCase()}`;
  return `pmsi:${type}:${a.tunnelFlags}:${label}:${tunnel}`;
}

/** `local`: the route was originated by this daemon (see pmsiText). */
export function attributesText(attributes: readonly PathAttribute[], local: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of attributes) {
    switch (a.type) {
      case 'origin':
      case 'as-path':
      case 'as4-path':
      case 'as4-aggregator':
      case 'mp-reach':
      case 'mp-unreach':
        break;
      case 'next-hop':
        out['next-hop'] = a.value;
        break;
      case 'med':
        out.med = String(a.value);
        break;
      case 'local-pref':
        out['local-preference'] = String(a.value);
        break;
      case 'atomic-aggregate':
        out['atomic-aggregate'] = '';
        break;
      case 'aggregator':
        out.aggregator = `${a.asn}:${a.address}`;
        break;
      case 'communities':
        out.community = a.communities.length === 0 ? '' : listText(a.communities);
        break;
      case 'originator-id':
        out['originator-id'] = a.value;
        break;
      case 'cluster-list':
        out['cluster-list'] = listText(a.clusterIds, true);
        break;
      case 'ext-communities':
        out['extended-community'] = lgExtCommunitiesText(a.communities);
        break;
      case 'pmsi-tunnel':
        out['pmsi-tunnel'] = pmsiText(a, local);
        break;
      case 'large-communities':
        out['large-community'] = a.communities.length === 0 ? '' : listText(a.communities);
        break;
      case 'unknown':
        out[UNKNOWN_NAMES[a.code] ?? `attribute-${a.code}`] = `0x${a.hex.toUpperCase()}`;
        break;
    }
  }
  return out;
}
