/**
 * Links the VPN layer creates itself, outside any driver: the veth pair that plugs an E-VPN into
 * an IP VPN (spec vpn.md §6), with the original's commands, through the root helper.
 */
import type { PrivilegedExec } from './exec/privileged-exec.js';

export interface LinkPlumbing {
  /** `a` and `b` as the two ends of a new veth pair (mtu 65535, both up); stale links of those names go first. */
  createVethPair(a: string, b: string): Promise<void>;
  /** Deletes a link; a missing one is fine. */
  deleteLink(name: string): Promise<void>;
}

export class CommandLinkPlumbing implements LinkPlumbing {
  constructor(private readonly exec: PrivilegedExec) {}

  async createVethPair(a: string, b: string): Promise<void> {
    await this.deleteLink(a);
    await this.deleteLink(b);
    await this.exec.run(['ip', 'link', 'add', a, 'type', 'veth', 'peer', 'name', b, 'mtu', '65535']);
    await this.exec.run(['ip', 'link', 'set', a, 'up']);
    await this.exec.run(['ip', 'link', 'set', b, 'up']);
  }

  async deleteLink(name: string): Promise<void> {
    // `ip link delete` of a missing link exits 1 ("Cannot find device"), 2 on newer iproute2.
    await this.exec.run(['ip', 'link', 'delete', name], { acceptable: [0, 1, 2] });
  }
}
