#!/usr/bin/env bash
# Captures what ExaBGP sends (routes announced one by one through its API): OPEN, IPv4/IPv6 unicast,
# VPN-IPv4/IPv6, FlowSpec IPv4/IPv6 and FlowSpec VPN, End-of-RIB, ROUTE-REFRESH, withdrawals and the
# NOTIFICATION of a teardown, over two sessions:
#   a: iBGP, 4-octet AS, ADD-PATH for ipv4/unicast and ipv4/mpls-vpn (harness 127.0.93.1)
#   b: eBGP, no 4-octet AS (harness 127.0.93.3)
# ExaBGP (127.0.93.2) connects to the harnesses on port 17903. Run as root: test/capture/exabgp.sh
source "$(dirname "$0")/lib.sh"
PORT=17903
VERSION="ExaBGP $(dpkg-query -W -f '${Version}' exabgp | sed 's/-.*//') (Debian exabgp $(dpkg-query -W -f '${Version}' exabgp))"

build
fresh exabgp
mkfifo "$WORK/api.fifo"

cat >"$WORK/exabgp.conf" <<EOF
process feeder {
  run /bin/cat $WORK/api.fifo;
  encoder text;
}

template {
  neighbor common {
    router-id 127.0.93.2;
    local-address 127.0.93.2;
    hold-time 180;
    group-updates false;
    connect $PORT;
    api { processes [ feeder ]; }
  }
}

neighbor 127.0.93.1 {
  inherit common;
  local-as 65005;
  peer-as 65005;
  capability {
    route-refresh;
    graceful-restart 120;
    add-path send/receive;
  }
  family {
    ipv4 unicast;
    ipv6 unicast;
    ipv4 mpls-vpn;
    ipv6 mpls-vpn;
    ipv4 flow;
    ipv6 flow;
    ipv4 flow-vpn;
  }
  add-path {
    ipv4 unicast;
    ipv4 mpls-vpn;
  }
}

neighbor 127.0.93.3 {
  inherit common;
  local-as 65005;
  peer-as 65006;
  capability {
    asn4 disable;
    route-refresh;
  }
  family {
    ipv4 unicast;
    ipv4 mpls-vpn;
  }
}
EOF

start_tshark a "host 127.0.93.1 and tcp port $PORT"
start_tshark b "host 127.0.93.3 and tcp port $PORT"
start_harness a --local 127.0.93.1 --listen $PORT --as 65005 --addpath ipv4/unicast,ipv4/mpls-vpn \
  --families ipv4/unicast,ipv6/unicast,ipv4/mpls-vpn,ipv6/mpls-vpn,ipv4/flow,ipv6/flow,ipv4/flow-vpn
start_harness b --local 127.0.93.3 --listen $PORT --as 65006 --no-as4 --no-extmsg --no-err --no-gr \
  --families ipv4/unicast,ipv4/mpls-vpn
sleep 1
exec {API}<>"$WORK/api.fifo"
env exabgp.daemon.user=root exabgp.daemon.daemonize=false exabgp.api.cli=false exabgp.log.destination=stderr \
  exabgp.log.level=INFO exabgp "$WORK/exabgp.conf" >"$WORK/exabgp.log" 2>&1 &
PIDS+=($!)
wait_established a
wait_established b
sleep 3
api() { echo "$*" >&"$API"; }

step ipv4-unicast "IPv4 unicast 10.20.0.0/24, ORIGIN igp, MED 20, LOCAL_PREF 120, community 65005:1, large community 65005:1:1, extended community target:65005:7, ORIGINATOR_ID and CLUSTER_LIST"
api "announce route 10.20.0.0/24 next-hop 127.0.93.2 origin igp med 20 local-preference 120 community [65005:1] large-community [65005:1:1] extended-community [target:65005:7] originator-id 127.0.93.9 cluster-list [127.0.93.10 127.0.93.11]"
sleep 1.5
step ipv4-unicast-path-id "IPv4 unicast 10.20.1.0/24 with path-information 7 (ADD-PATH path id), AS_PATH [65010 65011]"
api "announce route 10.20.1.0/24 next-hop 127.0.93.2 path-information 7 as-path [65010 65011]"
sleep 1.5
step ipv6-unicast "IPv6 unicast 2001:db8:20::/48, next hop 2001:db8::20"
api "announce route 2001:db8:20::/48 next-hop 2001:db8::20 community [65005:6]"
sleep 1.5
step vpnv4 "VPN-IPv4 10.21.0.0/24 RD 65005:1 label 400, RT 65005:1, path-information 3"
api "announce route 10.21.0.0/24 rd 65005:1 label 400 next-hop 127.0.93.2 extended-community [target:65005:1] path-information 3"
sleep 1.5
step vpnv4-rd1-two-labels "VPN-IPv4 10.21.1.0/24 RD 127.0.93.2:2, label stack [401 402], RTs target:127.0.93.2:5 and origin:65005:9"
api "announce route 10.21.1.0/24 rd 127.0.93.2:2 label [401 402] next-hop 127.0.93.2 extended-community [target:127.0.93.2:5 origin:65005:9]"
sleep 1.5
step vpnv6 "VPN-IPv6 2001:db8:21::/64 RD 65005:3 label 403, next hop 2001:db8::21"
api "announce route 2001:db8:21::/64 rd 65005:3 label 403 next-hop 2001:db8::21 extended-community [target:65005:3]"
sleep 1.5
step flowspec-ipv4 "FlowSpec IPv4: source 10.22.0.0/24, destination 192.0.2.1/32, port =80 or =8080, destination port >8080&<8088 or =3128, source port >1024, protocol udp or tcp; redirect 65500:12345"
api "announce flow route { match { source 10.22.0.0/24; destination 192.0.2.1/32; port [ =80 =8080 ]; destination-port [ >8080&<8088 =3128 ]; source-port >1024; protocol [ udp tcp ]; } then { redirect 65500:12345; } }"
sleep 1.5
step flowspec-ipv4-actions "FlowSpec IPv4: destination 10.22.1.0/24, packet length >=100, fragment, TCP flags; rate-limit 9600, mark 12, action sample"
api "announce flow route { match { destination 10.22.1.0/24; packet-length >=100; fragment [ is-fragment ]; tcp-flags [ syn ]; } then { rate-limit 9600; mark 12; action sample; } }"
sleep 1.5
step flowspec-ipv4-redirect-nh "FlowSpec IPv4: destination 10.22.2.0/24, ICMP type 3 code 1, DSCP 10; redirect to next hop 127.0.93.2 (redirect-to-nexthop), community"
api "announce flow route { match { destination 10.22.2.0/24; protocol icmp; icmp-type =3; icmp-code =1; dscp =10; } then { redirect-to-nexthop; community [65005:30]; } }"
sleep 1.5
step flowspec-ipv6 "FlowSpec IPv6: destination 2001:db8:22::/48, next header tcp, destination port =443, flow label 5; discard"
api "announce flow route { match { destination 2001:db8:22::/48/0; next-header tcp; destination-port =443; flow-label 5; } then { discard; } }"
sleep 1.5
step flowspec-vpn "FlowSpec VPN IPv4 RD 65005:10: destination 10.22.3.0/24, protocol tcp, destination port =22; redirect 65005:11 (redirect to VRF)"
api "announce flow route { rd 65005:10; match { destination 10.22.3.0/24; protocol tcp; destination-port =22; } then { redirect 65005:11; extended-community [target:65005:12]; } }"
sleep 1.5
step eor "End-of-RIB sent on demand through the API ('announce eor')"
api "announce eor ipv4 unicast"
sleep 1
step route-refresh "ROUTE-REFRESH sent by ExaBGP through the API ('announce route-refresh')"
api "announce route-refresh ipv4 mpls-vpn"
sleep 1.5
step withdraw-ipv4-unicast "withdrawal of IPv4 unicast 10.20.0.0/24"
api "withdraw route 10.20.0.0/24 next-hop 127.0.93.2"
sleep 1.5
step withdraw-vpnv4 "withdrawal of VPN-IPv4 10.21.0.0/24 RD 65005:1 label 400 (path id 3)"
api "withdraw route 10.21.0.0/24 rd 65005:1 label 400 next-hop 127.0.93.2 path-information 3"
sleep 1.5
step withdraw-flowspec-ipv4 "withdrawal of the FlowSpec IPv4 rule for 10.22.1.0/24"
api "withdraw flow route { match { destination 10.22.1.0/24; packet-length >=100; fragment [ is-fragment ]; tcp-flags [ syn ]; } }"
sleep 1.5
step notification-teardown "Cease NOTIFICATION from 'neighbor X teardown 2' (administrative shutdown)"
api "neighbor 127.0.93.1 teardown 2"
api "neighbor 127.0.93.3 teardown 4"
wait_harness a 10
wait_harness b 10
stop_tshark a
stop_tshark b
fixtures exabgp "$VERSION" a $PORT
fixtures exabgp "$VERSION" b $PORT as2-
log "done: $(ls "$FIXTURES/exabgp" | grep -c json) fixtures"
