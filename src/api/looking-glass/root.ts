/**
 * The root of the looking glass (spec looking-glass.md §2.1-2.4): `summary` (SUBITEM),
 * `config` (SUBTREE: the five groups of the original's options), `bgp` and `vpns` (DELEGATE),
 * `logs` (SUBTREE: the last 100 warnings and errors of the daemon, most recent first).
 */
import { lookingGlassConfig } from '../../config/index.js';
import { localTime } from '../log-buffer.js';
import { bgpObject, routeCounts } from './bgp.js';
import type { LookingGlassContext } from './context.js';
import { delegate, subitem, subtree, type LgObject } from './tree.js';
import { vpnsObject } from './vpns.js';

export function lookingGlassRoot(ctx: LookingGlassContext): LgObject {
  return {
    entries: () => ({
      summary: subitem(() => ({
        BGP_established_peers: ctx.bgp.established().length,
        route_counts: routeCounts(ctx.bgp),
        vpn_instances_count: ctx.vpn.instances.size,
        warnings_and_errors: ctx.logs.size,
        start_time: localTime(ctx.startTime),
        version: ctx.version,
      })),
      config: subtree(() => (ctx.config ? lookingGlassConfig(ctx.config) : {})),
      bgp: delegate(() => bgpObject(ctx)),
      vpns: delegate(() => vpnsObject(ctx)),
      logs: subtree(() => ctx.logs.list()),
    }),
  };
}
