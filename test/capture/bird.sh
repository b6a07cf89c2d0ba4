#!/usr/bin/env bash
# Captures what BIRD 2 sends: OPEN, IPv4/IPv6 unicast with communities, large communities, MED,
# LOCAL_PREF, ADD-PATH, End-of-RIB, withdrawals and the Cease NOTIFICATION of a disabled protocol,
# over two sessions:
#   a: iBGP, 4-octet AS, ADD-PATH (receive) for ipv4/unicast (harness 127.0.94.1)
#   b: eBGP, no 4-octet AS capability on either side (harness 127.0.94.3)
# BIRD listens on 127.0.94.2:17904. Run as root: test/capture/bird.sh
source "$(dirname "$0")/lib.sh"
PORT=17904
VERSION="BIRD $(dpkg-query -W -f '${Version}' bird2 | sed 's/-.*//') (Debian bird2 $(dpkg-query -W -f '${Version}' bird2))"
B() { birdc -s "$WORK/bird.ctl" "$@" >"$WORK/birdc.out" 2>&1 || { log "FAILED: birdc $*"; cat "$WORK/birdc.out" >&2; }; }

build
fresh bird

cat >"$WORK/bird.conf" <<EOF
router id 127.0.94.2;
log "$WORK/bird.log" all;
protocol device { }

protocol static s4 {
  disabled;
  ipv4;
  route 10.30.0.0/24 blackhole {
    bgp_origin = ORIGIN_IGP;
    bgp_med = 30;
    bgp_local_pref = 150;
    bgp_community.add((65007,1));
    bgp_community.add((65007,2));
    bgp_large_community.add((65007,1,1));
    bgp_large_community.add((4200000000,2,2));
    bgp_ext_community.add((rt,65007,5));
  };
}
protocol static s4b {
  disabled;
  ipv4;
  route 10.30.1.0/25 blackhole;
  route 10.30.2.0/26 blackhole;
}
protocol static s6 {
  disabled;
  ipv6;
  route 2001:db8:30::/48 blackhole { bgp_community.add((65007,6)); };
}

template bgp common {
  local 127.0.94.2 port $PORT;
  passive on;
  hold time 180;
}

protocol bgp a from common {
  local as 65007;
  neighbor 127.0.94.1 as 65007;
  ipv4 { import none; export all; next hop self; add paths tx; };
  ipv6 { import none; export all; next hop address 2001:db8::30; };
}

protocol bgp b from common {
  local as 65007;
  neighbor 127.0.94.3 as 65008;
  enable as4 off;
  multihop;  # eBGP on loopback: BIRD sees no directly connected neighbour here
  ipv4 { import none; export all; };
}
EOF

start_tshark a "host 127.0.94.1 and tcp port $PORT"
start_tshark b "host 127.0.94.3 and tcp port $PORT"
bird -f -c "$WORK/bird.conf" -s "$WORK/bird.ctl" -P "$WORK/bird.pid" >"$WORK/bird.out" 2>&1 &
PIDS+=($!)
sleep 1
start_harness a --local 127.0.94.1 --connect 127.0.94.2:$PORT --as 65007 --addpath ipv4/unicast \
  --families ipv4/unicast,ipv6/unicast
start_harness b --local 127.0.94.3 --connect 127.0.94.2:$PORT --as 65008 --no-as4 --no-extmsg --no-err --no-gr \
  --families ipv4/unicast
wait_established a
wait_established b
sleep 2

step ipv4-unicast "IPv4 unicast 10.30.0.0/24 with ORIGIN igp, MED 30, LOCAL_PREF 150, communities (65007,1) (65007,2), large communities (65007,1,1) (4200000000,2,2), route target 65007:5"
B enable s4
sleep 2
step ipv4-unicast-two-prefixes "IPv4 unicast 10.30.1.0/25 and 10.30.2.0/26"
B enable s4b
sleep 2
step ipv6-unicast "IPv6 unicast 2001:db8:30::/48, next hop 2001:db8::30, community (65007,6)"
B enable s6
sleep 2
step withdraw-ipv4-unicast "withdrawal of IPv4 unicast 10.30.1.0/25 and 10.30.2.0/26"
B disable s4b
sleep 2
step withdraw-ipv6-unicast "withdrawal of IPv6 unicast 2001:db8:30::/48 (MP_UNREACH_NLRI)"
B disable s6
sleep 2
step notification-shutdown "Cease / administrative shutdown from 'birdc disable' (with a shutdown communication on a)"
B disable a '"capture done, bye"'
B disable b
wait_harness a
wait_harness b
stop_tshark a
stop_tshark b
fixtures bird "$VERSION" a $PORT
fixtures bird "$VERSION" b $PORT as2-
log "done: $(ls "$FIXTURES/bird" | grep -c json) fixtures"
