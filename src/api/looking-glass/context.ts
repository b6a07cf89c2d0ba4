/** What the looking glass reads: the daemon's parts, through their public read-only accessors. */
import type { Config } from '../../config/index.js';
import type { BgpManager } from '../../session/bgp-manager.js';
import type { VpnManager } from '../../vpn/vpn-manager.js';
import type { LogBuffer } from '../log-buffer.js';

export interface LookingGlassContext {
  readonly bgp: BgpManager;
  readonly vpn: VpnManager;
  /** undefined: no configuration file (in-process tests); `config` is then `{}`. */
  readonly config: Config | undefined;
  readonly logs: LogBuffer;
  readonly startTime: Date;
  readonly version: string;
}
