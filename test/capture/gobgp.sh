#!/usr/bin/env bash
# Captures what GoBGP (Debian gobgpd) sends: OPEN, IPv4/IPv6 unicast, VPN-IPv4/IPv6 with the three RD
# and RT forms, E-VPN route types 1-5, RTC, FlowSpec IPv4/IPv6/VPN, withdrawals, End-of-RIB,
# Cease NOTIFICATIONs, over three sessions:
#   a: iBGP, 4-octet AS, graceful restart (127.0.91.1)
#   b: eBGP, no 4-octet AS capability (2-octet AS_PATH + AS4_PATH), ADD-PATH for ipv4/unicast (127.0.91.3)
#   c: iBGP with RT Constraint, ADD-PATH for VPN-IPv4 (127.0.91.4; tshark 4.0 cannot decode path
#      ids in VPN NLRI: those fixtures carry a tsharkNote and only the attributes are cross-checked)
# GoBGP listens on 127.0.91.2:17901 (gRPC API on 127.0.91.2:50091). Run as root: test/capture/gobgp.sh
source "$(dirname "$0")/lib.sh"
PORT=17901
API=(-u 127.0.91.2 -p 50091)
G() { gobgp "${API[@]}" "$@" >"$WORK/cli.out" 2>&1 || { log "FAILED: gobgp $*"; head -3 "$WORK/cli.out" >&2; }; }
VERSION="GoBGP $(gobgpd --version 2>&1 | awk '{print $3}') (Debian gobgpd $(dpkg-query -W -f '${Version}' gobgpd))"

build
fresh gobgp

# No RTC on session a: with RT Constraint negotiated GoBGP filters every family by it, even IPv4
# unicast (routes without RTs never pass, whatever RTC routes we send). Session c has RTC.
A_FAMILIES=(ipv4-unicast ipv6-unicast l3vpn-ipv4-unicast l3vpn-ipv6-unicast l2vpn-evpn ipv4-flowspec
  ipv6-flowspec l3vpn-ipv4-flowspec l3vpn-ipv6-flowspec)
afi_safis() { # afi_safis "ADDPATH FAMILIES" FAMILIES...
  local addpath=" $1 " f
  shift
  for f in "$@"; do
    printf '  [[neighbors.afi-safis]]\n    [neighbors.afi-safis.config]\n      afi-safi-name = "%s"\n' "$f"
    printf '    [neighbors.afi-safis.mp-graceful-restart.config]\n      enabled = true\n'
    if [[ "$addpath" == *" $f "* ]]; then
      printf '    [neighbors.afi-safis.add-paths.config]\n      send-max = 4\n'
    fi
  done
}
{
  cat <<EOF
[global.config]
  as = 65001
  router-id = "127.0.91.2"
  port = $PORT
  local-address-list = ["127.0.91.2"]

[[neighbors]]
  [neighbors.config]
    neighbor-address = "127.0.91.1"
    peer-as = 65001
  [neighbors.transport.config]
    passive-mode = true
    local-address = "127.0.91.2"
  [neighbors.graceful-restart.config]
    enabled = true
    restart-time = 90
EOF
  # No ADD-PATH for IPv4 unicast here: GoBGP 3.10 then also writes a 4-byte path id inside the
  # prefix components of IPv4 FlowSpec NLRI (its FlowSpec prefix reuses the unicast prefix
  # serialiser), which makes those NLRI malformed. ADD-PATH is captured on sessions b and c.
  afi_safis none "${A_FAMILIES[@]}"
  cat <<EOF

[[neighbors]]
  [neighbors.config]
    neighbor-address = "127.0.91.3"
    peer-as = 65002
  [neighbors.transport.config]
    passive-mode = true
    local-address = "127.0.91.2"
EOF
  afi_safis ipv4-unicast ipv4-unicast l3vpn-ipv4-unicast l2vpn-evpn
  cat <<EOF

[[neighbors]]
  [neighbors.config]
    neighbor-address = "127.0.91.4"
    peer-as = 65001
  [neighbors.transport.config]
    passive-mode = true
    local-address = "127.0.91.2"
EOF
  afi_safis l3vpn-ipv4-unicast rtc l3vpn-ipv4-unicast
} >"$WORK/gobgpd.toml"

start_tshark a "host 127.0.91.1 and tcp port $PORT"
start_tshark b "host 127.0.91.3 and tcp port $PORT"
start_tshark c "host 127.0.91.4 and tcp port $PORT"
gobgpd -f "$WORK/gobgpd.toml" --api-hosts 127.0.91.2:50091 --pprof-disable >"$WORK/gobgpd.log" 2>&1 &
PIDS+=($!)
sleep 1
start_harness a --local 127.0.91.1 --connect 127.0.91.2:$PORT --as 65001
start_harness b --local 127.0.91.3 --connect 127.0.91.2:$PORT --as 65002 --no-as4 --no-extmsg --no-gr --no-err --addpath ipv4/unicast \
  --families ipv4/unicast,ipv4/mpls-vpn,l2vpn/evpn
start_harness c --local 127.0.91.4 --connect 127.0.91.2:$PORT --as 65001 --families ipv4/rtc,ipv4/mpls-vpn --addpath ipv4/mpls-vpn
wait_established a
wait_established b
wait_established c
sleep 2 # End-of-RIB markers

NH=127.0.91.2
step ipv4-unicast "IPv4 unicast 10.1.0.0/24 with ORIGIN igp, AS_PATH 4200000005 65010, MED 10, LOCAL_PREF 200, communities 65001:1 and no-export, large communities 65001:1:2 and 4200000000:3:4, AGGREGATOR 4200000005 127.0.91.9"
G global rib add -a ipv4 10.1.0.0/24 nexthop $NH origin igp aspath 4200000005,65010 med 10 local-pref 200 \
  community 65001:1,no-export large-community 65001:1:2,4200000000:3:4 aggregator 4200000005:127.0.91.9
sleep 1.5
step ipv4-unicast-two-prefixes "IPv4 unicast 10.1.1.0/25 and 10.1.2.128/26 with ORIGIN incomplete"
G global rib add -a ipv4 10.1.1.0/25 nexthop $NH
G global rib add -a ipv4 10.1.2.128/26 nexthop $NH
sleep 1.5
step ipv6-unicast "IPv6 unicast 2001:db8:1::/48, next hop 2001:db8::2, community 65001:6"
G global rib add -a ipv6 2001:db8:1::/48 nexthop 2001:db8::2 community 65001:6
sleep 1.5
step vpnv4-rd0 "VPN-IPv4 10.2.0.0/24 label 100 RD 65001:10 (type 0), RT 65001:20 (2-octet AS), MED 5, LOCAL_PREF 150, community 65001:7, large community 65001:5:6"
G global rib add -a vpnv4 10.2.0.0/24 label 100 rd 65001:10 rt 65001:20 nexthop $NH med 5 local-pref 150 \
  community 65001:7 large-community 65001:5:6
sleep 1.5
step vpnv4-rd1 "VPN-IPv4 10.2.1.0/24 label 101 RD 127.0.91.2:11 (type 1), RT 127.0.91.2:21 (IPv4 address)"
G global rib add -a vpnv4 10.2.1.0/24 label 101 rd 127.0.91.2:11 rt 127.0.91.2:21 nexthop $NH
sleep 1.5
# GoBGP's CLI reads "4200000000:12" as a 2-octet AS (it sends 65535:12): the 4-octet AS forms
# need the asdot notation (64086.59904 = 4200000000).
step vpnv4-rd2 "VPN-IPv4 10.2.2.0/24 label 102 RD 4200000000:12 (type 2), RT 4200000000:22 (4-octet AS)"
G global rib add -a vpnv4 10.2.2.0/24 label 102 rd 64086.59904:12 rt 64086.59904:22 nexthop $NH
sleep 1.5
step vpnv4-host "VPN-IPv4 10.2.3.4/32 label 1048575 RD 65001:13, RT 65001:20 and 65001:21"
G global rib add -a vpnv4 10.2.3.4/32 label 1048575 rd 65001:13 rt 65001:20 65001:21 nexthop $NH
sleep 1.5
step vpnv6 "VPN-IPv6 2001:db8:2::/64 label 200 RD 65001:14, RT 65001:24, next hop 2001:db8::2"
G global rib add -a vpnv6 2001:db8:2::/64 label 200 rd 65001:14 rt 65001:24 nexthop 2001:db8::2
sleep 1.5
step evpn-macadv "E-VPN MAC/IP advertisement 52:54:00:00:00:01 10.0.1.1, label 1000, RD 65001:100, RT 65001:100, encapsulation VXLAN"
G global rib add -a evpn macadv 52:54:00:00:00:01 10.0.1.1 etag 0 label 1000 rd 65001:100 rt 65001:100 encap vxlan
sleep 1.5
step evpn-macadv-noip "E-VPN MAC/IP advertisement 52:54:00:00:00:02 without IP, Ethernet tag 10, label 1001, RD 127.0.91.2:100"
G global rib add -a evpn macadv 52:54:00:00:00:02 0.0.0.0 etag 10 label 1001 rd 127.0.91.2:100 rt 65001:100 encap vxlan
sleep 1.5
step evpn-macadv-ipv6-esi "E-VPN MAC/IP advertisement 52:54:00:00:00:03 2001:db8::3 with ESI type 1 (LACP), labels 1002 and 1003, router MAC, encapsulation MPLS"
G global rib add -a evpn macadv 52:54:00:00:00:03 2001:db8::3 esi LACP aa:bb:cc:dd:ee:ff 1 etag 0 label 1002,1003 \
  rd 65001:101 rt 65001:101 router-mac 52:54:00:aa:bb:cc encap mpls
sleep 1.5
step evpn-macadv-gateway "E-VPN MAC/IP advertisement 52:54:00:00:00:06 10.0.0.6 with the default-gateway community (GoBGP puts it twice)"
G global rib add -a evpn macadv 52:54:00:00:00:06 10.0.0.6 etag 0 label 1004 rd 65001:101 rt 65001:101 default-gateway
sleep 1.5
step evpn-multicast "E-VPN inclusive multicast 127.0.91.2, RD 65001:100, PMSI ingress replication label 1000 tunnel 127.0.91.2, encapsulation VXLAN"
G global rib add -a evpn multicast 127.0.91.2 etag 0 rd 65001:100 rt 65001:100 encap vxlan pmsi ingress-repl 1000 127.0.91.2
sleep 1.5
step evpn-ad "E-VPN Ethernet auto-discovery, ESI type 0 (arbitrary), label 2000, ESI label 3000"
G global rib add -a evpn a-d esi ARBITRARY 00:11:22:33:44:55:66:77:88 etag 0 label 2000 rd 65001:102 rt 65001:102 esi-label 3000
sleep 1.5
step evpn-es "E-VPN Ethernet segment route, originator 127.0.91.2, ESI type MAC"
G global rib add -a evpn esi 127.0.91.2 esi MAC 52:54:00:11:22:33 100 rd 65001:103 rt 65001:103
sleep 1.5
step evpn-prefix "E-VPN IP prefix route 10.3.0.0/24 gateway 10.3.0.1, label 3001, router MAC, encapsulation VXLAN"
G global rib add -a evpn prefix 10.3.0.0/24 gw 10.3.0.1 etag 0 label 3001 rd 65001:104 rt 65001:104 encap vxlan router-mac 52:54:00:aa:bb:cd
sleep 1.5
step evpn-prefix-ipv6 "E-VPN IP prefix route 2001:db8:3::/64 gateway 2001:db8:3::1, label 3002"
G global rib add -a evpn prefix 2001:db8:3::/64 gw 2001:db8:3::1 etag 0 label 3002 rd 65001:105 rt 65001:105
sleep 1.5
step rtc "RT Constraint routes generated by GoBGP for a VRF importing 65001:201 (and the VRF's exported VPN route)"
G vrf add red rd 65001:200 rt import 65001:201 export 65001:202
sleep 1.5
step flowspec-ipv4 "FlowSpec IPv4: destination 10.4.0.0/24, source 10.5.0.0/16, protocol tcp, destination port 80, source port 1024..2048, port 443; action rate-limit 1000"
G global rib add -a ipv4-flowspec match destination 10.4.0.0/24 source 10.5.0.0/16 protocol tcp \
  destination-port ==80 source-port '>=1024&<=2048' port ==443 then rate-limit 1000
sleep 1.5
step flowspec-ipv4-icmp "FlowSpec IPv4: destination 10.4.1.0/24, ICMP type 8 code 0, packet length >=64, DSCP 46, fragment; action discard"
G global rib add -a ipv4-flowspec match destination 10.4.1.0/24 protocol icmp icmp-type ==8 icmp-code ==0 \
  packet-length '>=64' dscp ==46 fragment is-fragment then discard
sleep 1.5
step flowspec-ipv4-tcpflags "FlowSpec IPv4: destination 10.4.2.0/24, TCP flags SYN and not ACK; actions redirect 65001:300, mark 10, sample"
G global rib add -a ipv4-flowspec match destination 10.4.2.0/24 protocol tcp tcp-flags S '!A' then redirect 65001:300 mark 10 action sample
sleep 1.5
step flowspec-ipv4-redirect-ip "FlowSpec IPv4: source 10.4.3.0/24, protocol udp, port range; action redirect 127.0.91.2:301 and rate-limit 0 (discard) from AS 65001"
G global rib add -a ipv4-flowspec match source 10.4.3.0/24 protocol udp destination-port '>1000&<2000' then redirect 127.0.91.2:301 rate-limit 0 as 65001
sleep 1.5
step flowspec-ipv6 "FlowSpec IPv6: destination 2001:db8:4::/48, source 2001:db8:5::/64 offset 16, next header tcp, destination port 22; action discard"
G global rib add -a ipv6-flowspec match destination 2001:db8:4::/48 source 2001:db8:5::/64 16 protocol tcp destination-port ==22 then discard
sleep 1.5
step flowspec-vpn "FlowSpec VPN IPv4, RD 65001:400: destination 10.6.0.0/24, protocol tcp, destination port 80; redirect 65001:401, RT 65001:402"
G global rib add -a ipv4-l3vpn-flowspec rd 65001:400 match destination 10.6.0.0/24 protocol tcp destination-port ==80 then redirect 65001:401 rt 65001:402
sleep 1.5
step flowspec-vpn-ipv6 "FlowSpec VPN IPv6, RD 65001:401: destination 2001:db8:6::/48; action discard, RT 65001:403"
G global rib add -a ipv6-l3vpn-flowspec rd 65001:401 match destination 2001:db8:6::/48 then discard rt 65001:403
sleep 1.5

step withdraw-ipv4-unicast "withdrawal of IPv4 unicast 10.1.0.0/24 (withdrawn routes field)"
G global rib del -a ipv4 10.1.0.0/24
sleep 1.5
step withdraw-ipv6-unicast "withdrawal of IPv6 unicast 2001:db8:1::/48 (MP_UNREACH_NLRI)"
G global rib del -a ipv6 2001:db8:1::/48
sleep 1.5
step withdraw-vpnv4 "withdrawal of VPN-IPv4 10.2.0.0/24 RD 65001:10 (MP_UNREACH_NLRI)"
G global rib del -a vpnv4 10.2.0.0/24 label 100 rd 65001:10
sleep 1.5
step withdraw-evpn-macadv "withdrawal of the E-VPN MAC/IP route 52:54:00:00:00:01 10.0.1.1"
G global rib del -a evpn macadv 52:54:00:00:00:01 10.0.1.1 etag 0 label 1000 rd 65001:100
sleep 1.5
step withdraw-evpn-multicast "withdrawal of the E-VPN inclusive multicast route"
G global rib del -a evpn multicast 127.0.91.2 etag 0 rd 65001:100
sleep 1.5
step withdraw-flowspec-ipv4 "withdrawal of FlowSpec IPv4 destination 10.4.1.0/24 (ICMP rule)"
G global rib del -a ipv4-flowspec match destination 10.4.1.0/24 protocol icmp icmp-type ==8 icmp-code ==0 \
  packet-length '>=64' dscp ==46 fragment is-fragment then discard
sleep 1.5
step notification-shutdown "Cease / administrative shutdown with a shutdown communication (RFC 8203), 'gobgp neighbor X shutdown'"
G neighbor 127.0.91.1 shutdown --reason "capture done, bye" || true
G neighbor 127.0.91.3 reset || true
ctl c quit
wait_harness a
wait_harness b
stop_tshark a
stop_tshark b
stop_tshark c
fixtures gobgp "$VERSION" a $PORT
fixtures gobgp "$VERSION" b $PORT as2-
fixtures gobgp "$VERSION" c $PORT rtc-session-
log "done: $(ls "$FIXTURES/gobgp" | grep -c json) fixtures"
