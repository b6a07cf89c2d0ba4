#!/usr/bin/env bash
# Captures what FRR's bgpd (standalone, no zebra) sends: OPEN, IPv4/IPv6 unicast with communities,
# large communities, MED, LOCAL_PREF, AS4_PATH, VPN-IPv4/IPv6 (network ... rd ... label ...),
# End-of-RIB, ROUTE-REFRESH, the enhanced route refresh markers (BoRR/EoRR) and a Cease NOTIFICATION
# with a shutdown communication, over two sessions:
#   a: iBGP, 4-octet AS, ADD-PATH (receive) for ipv4/unicast (127.0.92.1)
#   b: eBGP, no 4-octet AS capability (2-octet AS_PATH + AS4_PATH) (127.0.92.3)
# bgpd listens on 127.0.92.2:17902. Run as root: test/capture/frr.sh
source "$(dirname "$0")/lib.sh"
PORT=17902
VTY="$WORK/vty"
VERSION="FRRouting $(dpkg-query -W -f '${Version}' frr | sed 's/-.*//') (Debian frr $(dpkg-query -W -f '${Version}' frr))"
V() { vtysh --vty_socket "$VTY" -d bgpd "$@" >"$WORK/vtysh.out" 2>&1 || { log "FAILED: vtysh $*"; cat "$WORK/vtysh.out" >&2; }; }
conf() { # conf LINE...: configuration commands under 'router bgp 65003'
  local args=(-c 'configure terminal' -c 'router bgp 65003') l
  for l in "$@"; do args+=(-c "$l"); done
  V "${args[@]}"
}

build
fresh frr
mkdir -p "$VTY"
chmod 777 "$WORK" "$VTY"

cat >"$WORK/bgpd.conf" <<EOF
frr defaults traditional
hostname capture-frr
log file $WORK/bgpd.log
!
route-map ATTR4 permit 10
 set origin igp
 set metric 50
 set local-preference 300
 set community 65003:1 65003:2 graceful-shutdown
 set large-community 65003:1:1 4200000000:2:2
 set as-path prepend 4200000001
!
route-map ATTR6 permit 10
 set community 65003:6
!
router bgp 65003
 bgp router-id 127.0.92.2
 no bgp ebgp-requires-policy
 no bgp default ipv4-unicast
 no bgp network import-check
 bgp allow-martian-nexthop
 neighbor 127.0.92.1 remote-as 65003
 neighbor 127.0.92.1 passive
 neighbor 127.0.92.1 advertisement-interval 0
 neighbor 127.0.92.3 remote-as 65004
 neighbor 127.0.92.3 passive
 neighbor 127.0.92.3 advertisement-interval 0
 !
 address-family ipv4 unicast
  neighbor 127.0.92.1 activate
  neighbor 127.0.92.1 addpath-tx-all-paths
  neighbor 127.0.92.1 send-community all
  neighbor 127.0.92.3 activate
  neighbor 127.0.92.3 send-community all
 exit-address-family
 address-family ipv6 unicast
  neighbor 127.0.92.1 activate
 exit-address-family
 address-family ipv4 vpn
  neighbor 127.0.92.1 activate
  neighbor 127.0.92.3 activate
 exit-address-family
 address-family ipv6 vpn
  neighbor 127.0.92.1 activate
 exit-address-family
!
EOF

start_tshark a "host 127.0.92.1 and tcp port $PORT"
start_tshark b "host 127.0.92.3 and tcp port $PORT"
/usr/lib/frr/bgpd -Z -S -P 0 -l 127.0.92.2 -p $PORT --vty_socket "$VTY" -f "$WORK/bgpd.conf" \
  -i "$WORK/bgpd.pid" >"$WORK/bgpd.out" 2>&1 &
PIDS+=($!)
sleep 2
start_harness a --local 127.0.92.1 --connect 127.0.92.2:$PORT --as 65003 --addpath ipv4/unicast \
  --families ipv4/unicast,ipv6/unicast,ipv4/mpls-vpn,ipv6/mpls-vpn
start_harness b --local 127.0.92.3 --connect 127.0.92.2:$PORT --as 65004 --no-as4 --no-extmsg --no-err \
  --families ipv4/unicast,ipv4/mpls-vpn
wait_established a
wait_established b
sleep 3 # End-of-RIB markers

step ipv4-unicast "IPv4 unicast 10.10.0.0/24 (network statement) with ORIGIN igp, MED 50, LOCAL_PREF 300, communities 65003:1 65003:2 graceful-shutdown, large communities 65003:1:1 4200000000:2:2, AS_PATH prepended with 4200000001"
conf 'address-family ipv4 unicast' 'network 10.10.0.0/24 route-map ATTR4'
sleep 2
step ipv4-unicast-plain "IPv4 unicast 10.10.1.0/25 (network statement), no route map"
conf 'address-family ipv4 unicast' 'network 10.10.1.0/25'
sleep 2
step ipv6-unicast "IPv6 unicast 2001:db8:10::/48 with community 65003:6"
conf 'address-family ipv6 unicast' 'network 2001:db8:10::/48 route-map ATTR6'
sleep 2
step vpnv4-rd0 "VPN-IPv4 10.11.0.0/24 RD 65003:1 label 300 (network ... rd ... label in address-family ipv4 vpn)"
conf 'address-family ipv4 vpn' 'network 10.11.0.0/24 rd 65003:1 label 300'
sleep 2
step vpnv4-rd1 "VPN-IPv4 10.11.1.0/24 RD 127.0.92.2:2 label 301"
conf 'address-family ipv4 vpn' 'network 10.11.1.0/24 rd 127.0.92.2:2 label 301'
sleep 2
step vpnv6 "VPN-IPv6 2001:db8:11::/64 RD 65003:3 label 302"
conf 'address-family ipv6 vpn' 'network 2001:db8:11::/64 rd 65003:3 label 302'
sleep 2
step route-refresh-reply "FRR's answer to our ROUTE-REFRESH for IPv4 unicast: BoRR, the routes again, EoRR (RFC 7313)"
ctl a refresh 1 1
sleep 2
step route-refresh "ROUTE-REFRESH sent by FRR on 'clear bgp X soft in'"
V -c 'clear bgp 127.0.92.1 soft in'
V -c 'clear bgp 127.0.92.3 soft in'
sleep 2
step withdraw-ipv4-unicast "withdrawal of IPv4 unicast 10.10.1.0/25 (withdrawn routes field)"
conf 'address-family ipv4 unicast' 'no network 10.10.1.0/25'
sleep 2
step withdraw-ipv6-unicast "withdrawal of IPv6 unicast 2001:db8:10::/48 (MP_UNREACH_NLRI)"
conf 'address-family ipv6 unicast' 'no network 2001:db8:10::/48 route-map ATTR6'
sleep 2
step withdraw-vpnv4 "withdrawal of VPN-IPv4 10.11.0.0/24 RD 65003:1"
conf 'address-family ipv4 vpn' 'no network 10.11.0.0/24 rd 65003:1 label 300'
sleep 2
step notification-shutdown "Cease / administrative shutdown with a shutdown communication (RFC 8203), 'neighbor X shutdown message'"
conf 'neighbor 127.0.92.1 shutdown message capture done, bye'
conf 'neighbor 127.0.92.3 shutdown'
wait_harness a
wait_harness b
stop_tshark a
stop_tshark b
fixtures frr "$VERSION" a $PORT
fixtures frr "$VERSION" b $PORT as2-
log "done: $(ls "$FIXTURES/frr" | grep -c json) fixtures"
