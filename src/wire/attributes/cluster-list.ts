/**
 * CLUSTER_LIST (type code 10), RFC 4456 §8: optional non-transitive, the cluster ids of the route
 * reflectors the route went through, most recent first.
 *
 *   +-------------------------------+
 *   | cluster id (4)                |  ... repeated
 *   +-------------------------------+
 *
 * RFC 7606 §7.10: from an internal peer, malformed when the length is not a non-zero multiple
 * of 4: treat-as-withdraw; from an external peer, discarded (done by the UPDATE decoder).
 */
import { ipv4ToText } from '../ip.js';
import { AttrCode, encodeError, expectMultipleOf, FLAG_OPTIONAL, ipv4Bytes, type AttrBase, type AttributeDescriptor } from './types.js';

export interface ClusterListAttribute extends AttrBase {
  type: 'cluster-list';
  /** Cluster ids as dotted quads, in wire order. */
  clusterIds: string[];
}

export const clusterList: AttributeDescriptor<ClusterListAttribute> = {
  code: AttrCode.ClusterList,
  type: 'cluster-list',
  name: 'CLUSTER_LIST',
  flags: FLAG_OPTIONAL,
  malformed: 'treat-as-withdraw',
  decode(r, flags) {
    expectMultipleOf(r, 4);
    const clusterIds: string[] = [];
    while (!r.atEnd) clusterIds.push(ipv4ToText(r.bytes(4)));
    return { type: 'cluster-list', flags, clusterIds };
  },
  encode(w, attr) {
    if (attr.clusterIds.length === 0) encodeError('empty-attribute', 'CLUSTER_LIST: needs at least one cluster id');
    for (const id of attr.clusterIds) w.bytes(ipv4Bytes('CLUSTER_LIST', id));
  },
};
