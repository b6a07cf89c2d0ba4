/**
 * The public API of the wire layer: a pure BGP codec (no sockets, no timers, no globals). Other
 * layers import from here, never from the files inside (so the files can move). The JSON forms of
 * every decoded value are documented in docs/wire-json/.
 *
 * Typical receive path:
 *   const framer = new MessageFramer();               // per TCP connection
 *   const { frames, error } = framer.feed(chunk);     // whole messages, then a header error if any
 *   for (const f of frames) decodeMessage(f, ctx);    // throws WireError when the session resets
 *   // on WireError: send encodeMessage(notificationFromError(err), ctx), then close
 */

// Core: errors with their RFC 7606 outcome, bounded reader/writer, negotiated context.
export * from './errors.js';
export * from './reader.js';
export * from './writer.js';
export * from './context.js';
export * from './hex.js';

// Values shared by NLRI and attributes.
export * from './afi.js';
export * from './label.js';
export * from './ip.js';
export * from './admin-value.js';
export * from './route-distinguisher.js';

// NLRI families (descriptor table in nlri/registry.ts).
export * from './nlri/codec.js';
export * from './nlri/registry.js';
export * from './nlri/ip-prefix.js';
export * from './nlri/vpn-prefix.js';
export * from './nlri/evpn/index.js';
export * from './nlri/rtc.js';
export * from './nlri/flowspec/index.js';

// Extended communities, path attributes, UPDATE.
export * from './ext-communities/index.js';
export * from './attributes/index.js';
export * from './update.js';

// Messages: header and framing, OPEN and capabilities, NOTIFICATION, KEEPALIVE, ROUTE-REFRESH,
// and the dispatcher over all of them.
export * from './header.js';
export * from './framer.js';
export * from './capabilities/index.js';
export * from './messages/open.js';
export * from './messages/notification.js';
export * from './messages/keepalive.js';
export * from './messages/route-refresh.js';
export * from './message.js';
