/**
 * Our OPEN, and the checks and capability negotiation of the peer's OPEN (RFC 4271 §6.2,
 * RFC 5492, RFC 4760, RFC 6793, RFC 7911, RFC 4724, RFC 2918/7313, RFC 8654). Pure.
 *
 * Deviation from the original (spec engine.md §3): it refused negotiated hold times ≤ 30 s
 * (including 0); we accept any RFC-valid hold time (0 or ≥ 3), as RFC 4271 §4.2 requires.
 */
import { familyKey, parseFamilyName, type FamilyKey } from '../wire/afi.js';
import type { Capability, GracefulRestartCapability } from '../wire/capabilities/index.js';
import { AS_TRANS } from '../wire/capabilities/index.js';
import type { CodecContext } from '../wire/context.js';
import { NotifyCode, OpenSubcode, type NotificationSpec } from '../wire/errors.js';
import type { OpenMessage } from '../wire/messages/open.js';

export interface LocalOpenConfig {
  localAs: number;
  /** The AS the peer must have; equal to localAs for iBGP. */
  remoteAs: number;
  /** Our BGP identifier (IPv4 text). */
  localId: string;
  /** Hold time we propose, seconds (0, or ≥ 3). */
  holdTime: number;
  /** Families we announce (multiprotocol capability), e.g. 'ipv4/mpls-vpn'. */
  families: readonly string[];
  /** Families for which we accept ADD-PATH path identifiers (RFC 7911 receive). */
  addPathReceive: readonly string[];
  /**
   * Restart time we announce in the graceful restart capability (RFC 4724 §3), seconds;
   * undefined: no capability. The families it lists and its R and F bits come with each OPEN
   * (`RestartFlags`): none listed makes us a helper only.
   */
  gracefulRestartTime: number | undefined;
  /** Announce RFC 8654 extended messages (up to 65535 bytes). */
  extendedMessage: boolean;
}

export interface Negotiated {
  peerAs: number;
  peerId: string;
  /** Negotiated hold time, seconds (0: no hold timer, no keepalives). */
  holdTime: number;
  keepaliveTime: number;
  /** Families both sides announced, in our order. */
  families: string[];
  /** Families we announced that the peer did not (logged as a warning). */
  missingFamilies: string[];
  as4: boolean;
  /** Families on which the peer sends path identifiers to us. */
  addPathReceive: string[];
  routeRefresh: boolean;
  enhancedRouteRefresh: boolean;
  extendedMessage: boolean;
  /** The peer's graceful restart capability, if any (we are a helper for it). */
  gracefulRestart: { time: number; restarting: boolean; families: { family: string; forwarding: boolean }[] } | undefined;
  peerCapabilities: Capability[];
}

/** Our graceful restart capability's bits at the time an OPEN is sent (RFC 4724 §3). */
export interface RestartFlags {
  /** R bit: we restarted and are still restoring our routes (peers must not wait for our End-of-RIB). */
  readonly restarting: boolean;
  /** Families we can restart gracefully for, each with its F bit (forwarding state preserved). */
  readonly families: readonly { readonly family: string; readonly forwarding: boolean }[];
}

const openError = (subcode: OpenSubcode, data?: Uint8Array): NotificationSpec => ({
  code: NotifyCode.Open,
  subcode,
  ...(data ? { data } : {}),
});

/**
 * Our OPEN. Capabilities in the original's layout (one per optional parameter, spec §3). Without
 * restart flags, the graceful restart capability lists no family (helper only).
 */
export function buildOpen(cfg: LocalOpenConfig, restart?: RestartFlags): OpenMessage {
  const capabilities: Capability[] = cfg.families.map((family) => ({ type: 'multiprotocol', family }));
  capabilities.push({ type: 'route-refresh' }, { type: 'enhanced-route-refresh' }, { type: 'four-octet-as', as: cfg.localAs });
  if (cfg.gracefulRestartTime !== undefined)
    capabilities.push({
      type: 'graceful-restart',
      restarting: restart?.restarting ?? false,
      notification: false,
      time: cfg.gracefulRestartTime,
      families: (restart?.families ?? []).map((f) => ({ family: f.family, forwarding: f.forwarding })),
    });
  if (cfg.extendedMessage) capabilities.push({ type: 'extended-message' });
  if (cfg.addPathReceive.length > 0)
    capabilities.push({ type: 'add-path', families: cfg.addPathReceive.map((family) => ({ family, mode: 'receive' })) });
  return {
    type: 'open',
    version: 4,
    myAs: cfg.localAs > 0xffff ? AS_TRANS : cfg.localAs,
    holdTime: cfg.holdTime,
    bgpId: cfg.localId,
    capabilities,
  };
}

/** The AS a peer's OPEN announces: the 4-octet AS capability when present (RFC 6793 §3). */
export function openAs(open: OpenMessage): number {
  for (const c of open.capabilities) if (c.type === 'four-octet-as') return c.as;
  return open.myAs;
}

export function negotiate(cfg: LocalOpenConfig, open: OpenMessage): { negotiated: Negotiated } | { error: NotificationSpec } {
  const peerAs = openAs(open);
  if (peerAs !== cfg.remoteAs) {
    const data = Buffer.alloc(2);
    data.writeUInt16BE(open.myAs);
    return { error: openError(OpenSubcode.BadPeerAs, data) };
  }
  // RFC 6286 §2.2: a zero identifier is invalid; within an AS identifiers must differ.
  if (open.bgpId === '0.0.0.0' || (peerAs === cfg.localAs && open.bgpId === cfg.localId))
    return { error: openError(OpenSubcode.BadBgpIdentifier) };
  if (open.holdTime === 1 || open.holdTime === 2) return { error: openError(OpenSubcode.UnacceptableHoldTime) };

  const caps = open.capabilities;
  const peerFamilies = new Set<string>();
  let hasMp = false;
  let as4 = false;
  let routeRefresh = false;
  let enhanced = false;
  let extendedMessage = false;
  const addPathReceive: string[] = [];
  let gr: GracefulRestartCapability | undefined;
  for (const c of caps) {
    switch (c.type) {
      case 'multiprotocol':
        hasMp = true;
        peerFamilies.add(c.family);
        break;
      case 'four-octet-as':
        as4 = true;
        break;
      case 'route-refresh':
      case 'route-refresh-cisco':
        routeRefresh = true;
        break;
      case 'enhanced-route-refresh':
        enhanced = true;
        break;
      case 'extended-message':
        extendedMessage = true;
        break;
      case 'graceful-restart':
        gr = c;
        break;
      case 'add-path':
        for (const f of c.families)
          if ((f.mode === 'send' || f.mode === 'both') && cfg.addPathReceive.includes(f.family)) addPathReceive.push(f.family);
        break;
      default:
        break;
    }
  }
  // RFC 4760 §8: a peer without any multiprotocol capability speaks IPv4 unicast only.
  if (!hasMp) peerFamilies.add('ipv4/unicast');
  const families = cfg.families.filter((f) => peerFamilies.has(f));
  const missingFamilies = cfg.families.filter((f) => !peerFamilies.has(f));
  const holdTime = Math.min(cfg.holdTime, open.holdTime);
  return {
    negotiated: {
      peerAs,
      peerId: open.bgpId,
      holdTime,
      keepaliveTime: Math.floor(holdTime / 3),
      families,
      missingFamilies,
      as4,
      addPathReceive,
      routeRefresh,
      enhancedRouteRefresh: enhanced && routeRefresh,
      extendedMessage: cfg.extendedMessage && extendedMessage,
      gracefulRestart: gr && {
        time: gr.time,
        restarting: gr.restarting,
        families: gr.families.map((f) => ({ family: f.family, forwarding: f.forwarding })),
      },
      peerCapabilities: caps,
    },
  };
}

function keys(names: readonly string[]): Set<FamilyKey> {
  const out = new Set<FamilyKey>();
  for (const n of names) {
    const f = parseFamilyName(n);
    if (f) out.add(familyKey(f.afi, f.safi));
  }
  return out;
}

/** Codec contexts for the two directions of a negotiated session. */
export function sessionContexts(n: Negotiated): { receive: CodecContext; send: CodecContext } {
  const base = { as4: n.as4, extendedNextHop: new Set<FamilyKey>(), extendedMessage: n.extendedMessage };
  return {
    receive: { ...base, addPath: keys(n.addPathReceive) },
    send: { ...base, addPath: new Set() },
  };
}
