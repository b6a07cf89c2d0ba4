/**
 * bgp.conf → BGP manager settings: the original's flat `[BGP] peers` list (iBGP, active, the
 * default families) and our `[BGP_PEER:<address>]` sections, both already merged by the config
 * loader into `config.peers`; `[BGP] listen_port` turns the listener on; `[BGP]
 * graceful_restart_time` is the restart time we announce.
 */
import type { Config } from '../config/index.js';
import type { VpnType } from '../dataplane/driver.js';
import type { BgpManagerConfig } from '../session/bgp-manager.js';
import type { RestartStart } from '../session/local-restart.js';

export function bgpManagerConfig(config: Config): BgpManagerConfig {
  const bgp = config.BGP;
  return {
    localAddress: bgp.local_address,
    localAs: bgp.my_as,
    enableRtc: bgp.enable_rtc,
    peerPort: bgp.bgp_port,
    gracefulRestartTime: bgp.graceful_restart_time,
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

/** The BGP families whose routes a VPN type's dataplane forwards (FlowSpec redirects: IP VPN). */
const FAMILIES_OF: Readonly<Record<VpnType, readonly string[]>> = {
  evpn: ['l2vpn/evpn'],
  ipvpn: ['ipv4/mpls-vpn', 'ipv6/mpls-vpn', 'ipv4/flow-vpn'],
};

/**
 * Graceful restart after this process started (session/local-restart.ts): the families whose
 * forwarding state survived are those of the drivers that found and kept a previous run's state
 * (`kept`), plus RT Constraint when any did (control plane only: nothing to lose); our routes are
 * restored when the longest of those drivers' adoption hold-downs ends, counted from `routingUp`
 * (then the drivers remove what the orchestrator did not re-attach, and our End-of-RIB lets the
 * peers do the same).
 */
export function restartStart(kept: readonly { vpnType: VpnType }[], routingUp: Promise<void>, config: Config): RestartStart {
  const preserved = new Set(kept.flatMap((d) => FAMILIES_OF[d.vpnType]));
  if (preserved.size > 0) preserved.add('ipv4/rtc');
  const holdSeconds = Math.max(0, ...kept.map((d) => adoptionHoldTime(config, d.vpnType)));
  const restored = routingUp.then(() => new Promise<void>((resolve) => setTimeout(resolve, holdSeconds * 1000)));
  return { preserved, restored };
}

function adoptionHoldTime(config: Config, vpnType: VpnType): number {
  const group = vpnType === 'ipvpn' ? config.DATAPLANE_DRIVER_IPVPN : config.DATAPLANE_DRIVER_EVPN;
  return 'adoption_hold_time' in group ? group.adoption_hold_time : 0;
}
