#!/usr/bin/env bash
# Captures what the original BaGPipe-BGP (Debian python3-networking-bagpipe, dummy dataplanes) sends
# when ports are attached and detached over its REST API: OPEN, RTC, VPN-IPv4, E-VPN MAC/IP and
# inclusive multicast with PMSI, FlowSpec VPN and the attract-traffic default route with the
# consistent-hash sort order, withdrawals. The daemon (127.0.95.2, REST on 127.0.95.2:18095) only
# connects out: the harness listens on 127.0.95.1:17905. It announces no 4-octet AS capability, so
# these fixtures have as4 false. Run as root: test/capture/bagpipe.sh
source "$(dirname "$0")/lib.sh"
PORT=17905
REST=http://127.0.95.2:18095
VERSION="BaGPipe-BGP $(dpkg-query -W -f '${Version}' python3-networking-bagpipe | sed 's/-.*//') (Debian python3-networking-bagpipe $(dpkg-query -W -f '${Version}' python3-networking-bagpipe))"

build
fresh bagpipe

cat >"$WORK/bgp.conf" <<EOF
[BGP]
local_address = 127.0.95.2
peers = 127.0.95.1
my_as = 64512
enable_rtc = True
bgp_port = $PORT

[API]
host = 127.0.95.2
port = 18095

[DATAPLANE_DRIVER_IPVPN]
dataplane_driver = dummy

[DATAPLANE_DRIVER_EVPN]
dataplane_driver = dummy
EOF

post() { # post PATH JSON
  local code
  code=$(curl -s -o "$WORK/rest.out" -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d "$2" "$REST/$1")
  [ "$code" = 200 ] || { log "FAILED: POST $1 -> $code $(cat "$WORK/rest.out")"; }
}

start_tshark a "host 127.0.95.1 and tcp port $PORT"
start_harness a --local 127.0.95.1 --listen $PORT --as 64512 --families ipv4/mpls-vpn,ipv4/rtc,ipv4/flow-vpn,l2vpn/evpn
/usr/bin/python3 /usr/bin/bagpipe-bgp --config-file "$WORK/bgp.conf" --log-file "$WORK/bagpipe.log" >"$WORK/bagpipe.out" 2>&1 &
PIDS+=($!)
wait_established a 60
for i in $(seq 50); do curl -s "$REST/ping" >/dev/null && break; sleep 0.2; done
sleep 1

step ipvpn-attach "attach of 52:54:00:00:00:01 10.0.0.1/32 to IP VPN vpn1 (RT 64512:1): RTC route for 64512:1, then VPN-IPv4 10.0.0.1/32 with encapsulation MPLS"
post attach_localport '{"vpn_type":"ipvpn","vpn_instance_id":"vpn1","mac_address":"52:54:00:00:00:01","ip_address":"10.0.0.1/32","local_port":{"linuxif":"tap1"},"import_rt":["64512:1"],"export_rt":["64512:1"],"gateway_ip":"10.0.0.254"}'
sleep 2
step ipvpn-attach-subnet "attach of 52:54:00:00:00:04 10.0.4.0/24 with advertise_subnet and local_pref 200 to vpn1: VPN-IPv4 10.0.4.0/24 with LOCAL_PREF 200"
post attach_localport '{"vpn_type":"ipvpn","vpn_instance_id":"vpn1","mac_address":"52:54:00:00:00:04","ip_address":"10.0.4.1/24","advertise_subnet":true,"local_pref":200,"local_port":{"linuxif":"tap4"},"import_rt":["64512:1"],"export_rt":["64512:1"],"gateway_ip":"10.0.0.254"}'
sleep 2
step evpn-attach "attach of 52:54:00:00:00:02 10.0.1.2 to E-VPN evpn1 (VNI 5000, RT 64512:2): RTC route, inclusive multicast route with PMSI (ingress replication, VNI 5000), MAC/IP route with encapsulation VXLAN"
post attach_localport '{"vpn_type":"evpn","vpn_instance_id":"evpn1","mac_address":"52:54:00:00:00:02","ip_address":"10.0.1.2","local_port":{"linuxif":"tap2"},"import_rt":["64512:2"],"export_rt":["64512:2"],"vni":5000}'
sleep 2
step evpn-attach-noip "attach of 52:54:00:00:00:05 without IP to evpn1: MAC/IP route without IP address"
post attach_localport '{"vpn_type":"evpn","vpn_instance_id":"evpn1","mac_address":"52:54:00:00:00:05","local_port":{"linuxif":"tap5"},"import_rt":["64512:2"],"export_rt":["64512:2"]}'
sleep 2
step attract-traffic "attach to VRF vpn3 with attract_traffic (redirect RT 64512:51, to RT 64512:52, static destination 40.0.0.0/24, classifier src 1.1.1.0/24 tcp dst port 80) and lb_consistent_hash_order 2: RTC routes, VPN-IPv4 endpoint route, default route 0.0.0.0/0 with the consistent hash sort order, FlowSpec VPN route with redirect-to-VRF"
post attach_localport '{"vpn_type":"ipvpn","vpn_instance_id":"vpn3","mac_address":"52:54:00:00:00:03","ip_address":"10.0.3.3/32","local_port":{"linuxif":"tap3"},"import_rt":["64512:3"],"export_rt":["64512:3"],"gateway_ip":"10.0.3.254","lb_consistent_hash_order":2,"attract_traffic":{"redirect_rts":["64512:51"],"classifier":{"destinationPort":"80","protocol":"tcp","sourcePrefix":"1.1.1.0/24"},"to_rt":["64512:52"],"static_destination_prefixes":["40.0.0.0/24"]}}'
sleep 2
step evpn-detach "detach of 52:54:00:00:00:02 from evpn1: withdrawal of the MAC/IP route (with the route's attributes, a quirk of the original)"
post detach_localport '{"vpn_type":"evpn","vpn_instance_id":"evpn1","mac_address":"52:54:00:00:00:02","ip_address":"10.0.1.2","local_port":{"linuxif":"tap2"}}'
sleep 2
step ipvpn-detach "detach of 52:54:00:00:00:01 from vpn1: withdrawal of VPN-IPv4 10.0.0.1/32"
post detach_localport '{"vpn_type":"ipvpn","vpn_instance_id":"vpn1","mac_address":"52:54:00:00:00:01","ip_address":"10.0.0.1/32","local_port":{"linuxif":"tap1"}}'
sleep 2
step attract-detach "detach of the attract-traffic port from vpn3: withdrawals of the endpoint, default and FlowSpec routes, then of the RTC routes as the VRF goes"
post detach_localport '{"vpn_type":"ipvpn","vpn_instance_id":"vpn3","mac_address":"52:54:00:00:00:03","ip_address":"10.0.3.3/32","local_port":{"linuxif":"tap3"}}'
sleep 2
ctl a quit
wait_harness a
stop_tshark a
fixtures bagpipe "$VERSION" a $PORT
log "done: $(ls "$FIXTURES/bagpipe" | grep -c json) fixtures"
