/**
 * The `vpns` node (spec looking-glass.md §2.7), the VPN manager's object:
 *
 *   instances          COLLECTION  {id: vpn_instance_id, name, [description]}; item: instance.ts
 *   dataplane          DELEGATE    drivers (COLLECTION by VPN type: driver.ts) and ids (DELEGATE:
 *                                  every allocated label / VNI → what it is for)
 *   instances_per_vni  SUBITEM     instances created with a forced VNI
 */
import type { VpnType } from '../../dataplane/driver.js';
import type { LookingGlassContext } from './context.js';
import { driverObject } from './driver.js';
import { instanceObject } from './instance.js';
import { collection, delegate, subitem, type LgObject } from './tree.js';

/** The original's order (its dict of drivers). */
const VPN_TYPES: readonly VpnType[] = ['evpn', 'ipvpn'];

function dataplaneObject(ctx: LookingGlassContext): LgObject {
  const { vpn } = ctx;
  return {
    entries: () => ({
      drivers: collection(
        () => VPN_TYPES.map((id) => ({ id })),
        (id) => (VPN_TYPES.includes(id as VpnType) ? driverObject(vpn.drivers[id as VpnType], ctx) : undefined),
      ),
      ids: delegate(() => ({ info: () => Object.fromEntries(vpn.labels.entries().map(([label, use]) => [String(label), use])) })),
    }),
  };
}

export function vpnsObject(ctx: LookingGlassContext): LgObject {
  const { vpn } = ctx;
  return {
    entries: () => ({
      instances: collection(
        () => [...vpn.instances.values()].map((i) => ({ id: i.vpnInstanceId, name: i.name, ...(i.description ? { description: i.description } : {}) })),
        (id) => {
          const i = vpn.instances.get(id);
          return i && instanceObject(i, ctx);
        },
      ),
      dataplane: delegate(() => dataplaneObject(ctx)),
      instances_per_vni: subitem(() =>
        Object.fromEntries([...vpn.instancesByVni].map(([vni, i]) => [String(vni), { name: i.name, external_instance_id: i.vpnInstanceId }])),
      ),
    }),
  };
}
