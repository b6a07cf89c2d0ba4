/**
 * bgp.conf → BGP manager settings: the original's flat `[BGP] peers` list (iBGP, active, the
 * default families) and our `[BGP_PEER:<address>]` sections, both already merged by the config
 * loader into `config.peers`; `[BGP] listen_port` turns the listener on.
 */
import type { Config } from '../config/index.js';
import type { BgpManagerConfig } from '../session/bgp-manager.js';

export function bgpManagerConfig(config: Config): BgpManagerConfig {
  const bgp = config.BGP;
  return {
    localAddress: bgp.local_address,
    localAs: bgp.my_as,
    enableRtc: bgp.enable_rtc,
    peerPort: bgp.bgp_port,
    ...(bgp.listen_port !== null ? { listen: { address: bgp.listen_address ?? bgp.local_address, port: bgp.listen_port } } : {}),
    peers: config.peers.map((p) => ({
      address: p.address,
      port: p.port,
      remoteAs: p.remote_as,
      localAs: p.local_as,
      passive: p.passive,
      families: [...p.families],
      holdTime: p.hold_time,
      addPathReceive: [...p.add_path_receive],
      ...(p.max_prefix !== null ? { maxPrefix: p.max_prefix } : {}),
    })),
  };
}
