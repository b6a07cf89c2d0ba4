/**
 * fast-check arbitraries for capabilities and the non-UPDATE messages, in their JSON forms. Every
 * value generated is one the decoder produces (canonical), so decode(encode(x)) deep-equals x.
 */
import fc from 'fast-check';
import { familyName } from '../../src/wire/afi.js';
import { toHex } from '../../src/wire/hex.js';
import { CAPABILITY_CODECS, writeCapability, type Capability } from '../../src/wire/capabilities/index.js';
import type { KeepaliveMessage } from '../../src/wire/messages/keepalive.js';
import { makeNotification, shutdownNotification, type NotificationMessage } from '../../src/wire/messages/notification.js';
import type { OpenMessage, OpenParameter } from '../../src/wire/messages/open.js';
import type { RouteRefreshMessage } from '../../src/wire/messages/route-refresh.js';
import { CeaseSubcode } from '../../src/wire/errors.js';
import { BufferWriter } from '../../src/wire/writer.js';
import type { CodecContext } from '../../src/wire/context.js';
import type { BgpMessage } from '../../src/wire/message.js';
import { arbUpdateMessage } from './update.js';

/** fc.record with ordinary objects (deepEqual compares prototypes). */
const record = <T>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }): fc.Arbitrary<T> =>
  fc.record(model, { noNullPrototype: true });

const KNOWN_FAMILIES = [
  'ipv4/unicast',
  'ipv6/unicast',
  'ipv4/mpls-vpn',
  'ipv6/mpls-vpn',
  'l2vpn/evpn',
  'ipv4/rtc',
  'ipv4/flow',
  'ipv4/flow-vpn',
  'ipv6/flow-vpn',
];

/** A family name: mostly the ones we use, sometimes any (afi, safi) (e.g. "afi-300/safi-9"). */
export const familyArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...KNOWN_FAMILIES) },
  { weight: 1, arbitrary: fc.tuple(fc.nat(0xffff), fc.nat(0xff)).map(([a, s]) => familyName(a, s)) },
);

const afiNameArb = fc.oneof(fc.constantFrom('ipv4', 'ipv6'), fc.nat(0xffff).map((a) => familyName(a, 1).split('/')[0]!));
const hexArb = (maxLength: number): fc.Arbitrary<string> =>
  fc.uint8Array({ maxLength }).map((b) => toHex(b));
/** Short text, sometimes with non-ASCII characters (valid UTF-8 once encoded). */
const textArb = (maxLength: number): fc.Arbitrary<string> =>
  fc.oneof(fc.string({ maxLength }), fc.string({ unit: 'grapheme', maxLength: Math.floor(maxLength / 4) }));

const withReserved = <T extends object>(base: fc.Arbitrary<T>, max: number): fc.Arbitrary<T> =>
  fc.tuple(base, fc.option(fc.integer({ min: 1, max }), { nil: undefined })).map(([b, r]) =>
    r === undefined ? b : { ...b, reservedFlags: r },
  );

const KNOWN_CODES = new Set(CAPABILITY_CODECS.map((c) => c.code));

export const capabilityArb: fc.Arbitrary<Capability> = fc.oneof(
  fc.tuple(familyArb, fc.option(fc.integer({ min: 1, max: 255 }), { nil: undefined })).map(
    ([family, reserved]): Capability =>
      reserved === undefined ? { type: 'multiprotocol', family } : { type: 'multiprotocol', family, reserved },
  ),
  fc.constant<Capability>({ type: 'route-refresh' }),
  fc.constant<Capability>({ type: 'route-refresh-cisco' }),
  fc.constant<Capability>({ type: 'enhanced-route-refresh' }),
  fc.constant<Capability>({ type: 'extended-message' }),
  fc
    .array(record({ family: familyArb, nextHop: afiNameArb }), { maxLength: 4 })
    .map((entries): Capability => ({ type: 'extended-next-hop', entries })),
  fc.constantFrom('provider', 'rs-server', 'rs-client', 'customer', 'peer').map((role): Capability => ({ type: 'role', role })),
  withReserved(
    record({
      type: fc.constant('graceful-restart' as const),
      restarting: fc.boolean(),
      notification: fc.boolean(),
      time: fc.nat(0xfff),
      families: fc.array(withReserved(record({ family: familyArb, forwarding: fc.boolean() }), 0x7f), { maxLength: 4 }),
    }),
    3,
  ),
  fc.nat().map((as): Capability => ({ type: 'four-octet-as', as })),
  fc
    .array(record({ family: familyArb, mode: fc.constantFrom('receive' as const, 'send' as const, 'both' as const) }), {
      maxLength: 4,
    })
    .map((families): Capability => ({ type: 'add-path', families })),
  fc
    .array(withReserved(record({ family: familyArb, forwarding: fc.boolean(), staleTime: fc.nat(0xffffff) }), 0x7f), {
      maxLength: 4,
    })
    .map((families): Capability => ({ type: 'long-lived-graceful-restart', families })),
  record({ hostname: textArb(40), domain: textArb(40) }).map((r): Capability => ({ type: 'fqdn', ...r })),
  textArb(60).map((version): Capability => ({ type: 'software-version', version })),
  fc
    .array(record({ family: familyArb, limit: fc.nat(0xffff) }), { maxLength: 4 })
    .map((families): Capability => ({ type: 'paths-limit', families })),
  record({ code: fc.nat(255).filter((c) => !KNOWN_CODES.has(c)), hex: hexArb(20) })
    .map((r): Capability => ({ type: 'opaque', ...r })),
);

/**
 * An OPEN: default layout (one capability per parameter), or capabilities grouped into
 * parameters with opaque parameters between them; sometimes the RFC 9072 form.
 */
export const openArb: fc.Arbitrary<OpenMessage> = record({
    myAs: fc.nat(0xffff),
    holdTime: fc.nat(0xffff),
    bgpId: fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((b) => b.join('.')),
    capabilities: fc.array(capabilityArb, { maxLength: 10 }),
    grouping: fc.option(
      fc.array(
        fc.oneof(
          fc.integer({ min: 0, max: 4 }),
          record({ code: fc.integer({ min: 0, max: 254 }).filter((c) => c !== 2), hex: hexArb(12) }),
        ),
        { maxLength: 6 },
      ),
      { nil: undefined },
    ),
    extended: fc.boolean(),
  })
  .map(({ myAs, holdTime, bgpId, capabilities, grouping, extended }) => {
    const open: OpenMessage = { type: 'open', version: 4, myAs, holdTime, bgpId, capabilities };
    if (grouping !== undefined) {
      // Turn the plan into a layout covering every capability; leftovers go in one last parameter.
      const params: OpenParameter[] = [];
      let left = capabilities.length;
      for (const g of grouping) {
        if (typeof g === 'number') {
          const count = Math.min(g, left);
          params.push({ type: 'capabilities', count });
          left -= count;
        } else params.push({ type: 'opaque', code: g.code, hex: g.hex });
      }
      if (left > 0) params.push({ type: 'capabilities', count: left });
      const isDefault = params.every((p) => p.type === 'capabilities' && p.count === 1);
      if (!isDefault) open.params = params;
    }
    // RFC 9072 is a choice (kept in the JSON) only when the classic form would do.
    if (extended && classicLength(open) <= 255) open.extendedParams = true;
    return open;
  });

/** Length of the optional parameters in the classic form (Infinity if one value exceeds 255). */
function classicLength(open: OpenMessage): number {
  const sizes = open.capabilities.map((c) => {
    const w = new BufferWriter(32);
    writeCapability(w, c);
    return w.length;
  });
  const layout = open.params ?? sizes.map((): OpenParameter => ({ type: 'capabilities', count: 1 }));
  let total = 0;
  let next = 0;
  for (const p of layout) {
    let len = 0;
    if (p.type === 'opaque') len = p.hex.length / 2;
    else for (let i = 0; i < p.count; i++) len += sizes[next++]!;
    total += len > 255 ? Infinity : 2 + len;
  }
  return total;
}

export const notificationArb: fc.Arbitrary<NotificationMessage> = fc.oneof(
  record({ code: fc.nat(255), subcode: fc.nat(255), data: fc.uint8Array({ maxLength: 40 }) })
    .map(({ code, subcode, data }) => makeNotification(code, subcode, data)),
  fc
    .tuple(textArb(300), fc.constantFrom(CeaseSubcode.AdministrativeShutdown, CeaseSubcode.AdministrativeReset))
    .map(([text, sub]) => shutdownNotification(text, sub)),
  record({ code: fc.nat(255), subcode: fc.nat(255), data: fc.uint8Array({ maxLength: 20 }) }).map(({ code, subcode, data }) =>
    makeNotification(6, 9, Uint8Array.from([code, subcode, ...data])),
  ),
);

export const keepaliveArb: fc.Arbitrary<KeepaliveMessage> = fc.constant({ type: 'keepalive' });

export const routeRefreshArb: fc.Arbitrary<RouteRefreshMessage> = fc.oneof(
  record({ family: familyArb, subtype: fc.constantFrom('normal' as const, 'borr' as const, 'eorr' as const) })
    .map((r): RouteRefreshMessage => ({ type: 'route-refresh', ...r })),
  record({
      family: familyArb,
      subtype: fc.oneof(fc.constant('normal' as const), fc.integer({ min: 3, max: 255 })),
      data: fc.uint8Array({ minLength: 1, maxLength: 30 }).map((b) => toHex(b)),
    })
    .map((r): RouteRefreshMessage => ({ type: 'route-refresh', ...r })),
);

/** Any non-UPDATE message (the UPDATE arbitraries are in test/arbitraries/update.ts). */
export const controlMessageArb: fc.Arbitrary<OpenMessage | NotificationMessage | KeepaliveMessage | RouteRefreshMessage> =
  fc.oneof(openArb, notificationArb, keepaliveArb, routeRefreshArb);

/** Any message, UPDATEs included (those of test/arbitraries/update.ts, for this context). */
export function messageArb(ctx: CodecContext): fc.Arbitrary<BgpMessage> {
  return fc.oneof(controlMessageArb, arbUpdateMessage(ctx));
}
