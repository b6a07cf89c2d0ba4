/**
 * A dataplane driver (spec looking-glass.md §2.10), at `vpns/dataplane/drivers/<vpn type>`: its
 * class name, local address, encapsulations, configuration group, the kernel release (`uname -r`
 * up to the first "-"), what the driver adds about itself, and its logs.
 */
import { release } from 'node:os';
import { encapText, type DataplaneDriver } from '../../dataplane/driver.js';
import type { LookingGlassContext } from './context.js';
import { subtree, type LgObject } from './tree.js';

export function kernelRelease(): string {
  return release().split('-')[0]!;
}

export function driverObject(d: DataplaneDriver, ctx: LookingGlassContext): LgObject {
  return {
    info: () => {
      const { name: _n, local_address: _a, config, ...extra } = d.lookingGlass();
      return {
        name: d.name,
        local_address: d.localAddress,
        supported_encaps: d.supportedEncaps.map(encapText),
        config: config ?? {},
        kernel_release: kernelRelease(),
        ...extra,
      };
    },
    entries: () => ({ logs: subtree(() => ctx.logs.scoped(`dataplane.${d.vpnType}`)) }),
  };
}
