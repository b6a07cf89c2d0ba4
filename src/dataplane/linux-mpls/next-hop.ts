/**
 * How a remote route's next hop is written in a route of the VRF table (spec dataplane.md §5,
 * "remote route"): the route's MPLS label pushed (lwtunnel `encap mpls`, module mpls_iptunnel)
 * and the packet sent toward the remote PE.
 *
 * - bare MPLS: `encap mpls <label> via <PE> dev <mpls_interface>` (the PE on the link of
 *   mpls_interface, as in the original);
 * - MPLS over GRE (RFC 4023): `encap mpls <label> via <PE> dev bmpls-gre onlink`. bmpls-gre is an
 *   NBMA GRE device (local address, any remote); a permanent neighbour `<PE> lladdr <PE>` on it
 *   makes the GRE header's outer destination the PE (ipgre_header), and `onlink` because the PE
 *   is not on a connected subnet of that device;
 * - the local PE (a route we advertised ourselves, imported by another VRF of this node):
 *   `encap mpls <label> dev lo`. The labelled packet loops through lo into the MPLS table
 *   (`net.mpls.conf.lo.input=1`), where our pop route for that label delivers it. The original's
 *   `via 127.0.0.1 dev lo` is refused by the kernel's gateway check ("known not to work"): a
 *   device next hop has no gateway to check.
 *
 * iproute2 6.1 refuses `encap mpls <label>` as the last words of a next hop ("unexpected end of
 * line after encap"), so `encap` always comes first.
 */

export type NextHopMode = { readonly kind: 'bare'; readonly mplsInterface: string } | { readonly kind: 'gre'; readonly device: string };

export interface NextHop {
  /** The route's next hop: the remote PE's address. */
  readonly pe: string;
  readonly label: number;
}

export function sameNextHop(a: NextHop, b: NextHop): boolean {
  return a.pe === b.pe && a.label === b.label;
}

/** The words of one next hop, in a `route replace` line. */
export function nextHopWords(nh: NextHop, mode: NextHopMode, localAddress: string): string {
  if (nh.pe === localAddress) return `encap mpls ${nh.label} dev lo`;
  if (mode.kind === 'gre') return `encap mpls ${nh.label} via ${nh.pe} dev ${mode.device} onlink`;
  return `encap mpls ${nh.label} via ${nh.pe} dev ${mode.mplsInterface}`;
}
