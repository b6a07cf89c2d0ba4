#!/usr/bin/env bash
# Installs the Debian packages the scenario tests and benchmarks use: real BGP peers (GoBGP, FRR,
# ExaBGP, BIRD), tshark as an independent wire decoder, Open vSwitch (userspace datapath) and the
# network tools, and the original BaGPipe-BGP daemon (python3-networking-bagpipe, a few minutes:
# it pulls Neutron) for the interop scenario; bridge-utils (brctl) for the original's linux E-VPN
# driver in the mixed-deployment scenario. With --check-or-install it installs only when
# something is missing.
set -euo pipefail
PKGS=(gobgpd frr exabgp bird2 tshark openvswitch-switch iproute2 iputils-ping tcpdump ethtool fping
  python3-networking-bagpipe python3-oslo.config bridge-utils)
BINS=(gobgpd gobgp /usr/lib/frr/bgpd exabgp bird tshark ovs-vswitchd ip ping tcpdump ethtool fping
  /usr/bin/bagpipe-bgp /usr/lib/python3/dist-packages/oslo_config brctl)

missing=0
for b in "${BINS[@]}"; do
  command -v "$b" >/dev/null 2>&1 || [ -x "$b" ] || { missing=1; break; }
done
if [ "${1:-}" = "--check-or-install" ] && [ $missing -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "install-deps: missing Debian packages (${PKGS[*]}) and not root: install them first" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# tshark asks whether non-root users may capture; answer no without a prompt.
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
apt-get install -y -qq --no-install-recommends "${PKGS[@]}" >/dev/null
echo "install-deps: installed ${PKGS[*]}"
