/**
 * What a route looks like when sent to one peer (RFC 4271 §5.1): ORIGIN, AS_PATH (empty toward
 * iBGP, our AS prepended toward eBGP), LOCAL_PREF toward iBGP only (100 when the route has none,
 * as the original did), then the route's other attributes, in type-code order. The MP_REACH next
 * hop is the route's (the dataplane address for VPN routes), or ours for RTC routes.
 */
import { attributeCode, type PathAttribute } from '../wire/attributes/registry.js';
import { nlriCodec } from '../wire/nlri/registry.js';
import type { RouteEntry } from '../rib/route-entry.js';
import type { OutRoute } from './adj-rib-out.js';

export interface OutboundPolicy {
  localAs: number;
  ibgp: boolean;
  /** Our address: next hop of routes that have none but whose family needs one (RTC). */
  localAddress: string;
}

const SKIP = new Set(['origin', 'as-path', 'local-pref', 'mp-reach', 'mp-unreach', 'next-hop', 'as4-path']);

export class Outbound {
  private readonly cache = new WeakMap<readonly PathAttribute[], readonly PathAttribute[]>();
  constructor(private readonly policy: OutboundPolicy) {}

  attributes(attrs: readonly PathAttribute[]): readonly PathAttribute[] {
    let out = this.cache.get(attrs);
    if (!out) this.cache.set(attrs, (out = this.build(attrs)));
    return out;
  }

  private build(attrs: readonly PathAttribute[]): readonly PathAttribute[] {
    const p = this.policy;
    const origin = attrs.find((a) => a.type === 'origin') ?? { type: 'origin', value: 'igp' };
    const asPath = attrs.find((a) => a.type === 'as-path');
    const segments = asPath?.type === 'as-path' ? asPath.segments : [];
    const out: PathAttribute[] = [strip(origin)];
    if (p.ibgp) out.push({ type: 'as-path', segments: segments.map((s) => ({ ...s })) });
    else {
      const first = segments[0];
      const rest = first?.type === 'as-sequence' && first.asns.length < 255 ? [{ ...first, asns: [p.localAs, ...first.asns] }, ...segments.slice(1)] : [{ type: 'as-sequence' as const, asns: [p.localAs] }, ...segments];
      out.push({ type: 'as-path', segments: rest });
    }
    if (p.ibgp) {
      const lp = attrs.find((a) => a.type === 'local-pref');
      out.push(lp ? strip(lp) : { type: 'local-pref', value: 100 });
    }
    for (const a of attrs) if (!SKIP.has(a.type)) out.push(strip(a));
    return out.sort((a, b) => codeOf(a) - codeOf(b));
  }

  route(e: RouteEntry): OutRoute {
    const form = nlriCodec(e.afi, e.safi)?.nextHop;
    const nextHop = form === 'none' ? [] : [e.nextHop ?? this.policy.localAddress];
    return { afi: e.afi, safi: e.safi, key: e.key, nlri: stripPathId(e.nlri), attributes: this.attributes(e.attributes), nextHop };
  }
}

function codeOf(a: PathAttribute): number {
  return attributeCode(a);
}

/** Received flags are not ours to repeat (except Partial on unknown transitive ones, kept by the codec). */
function strip<A extends PathAttribute>(a: A): A {
  if (a.flags === undefined || a.type === 'unknown') return a;
  const { flags: _flags, ...rest } = a;
  return rest as A;
}

function stripPathId<N extends { pathId?: number }>(n: N): N {
  if (n.pathId === undefined) return n;
  const { pathId: _p, ...rest } = n;
  return rest as N;
}
