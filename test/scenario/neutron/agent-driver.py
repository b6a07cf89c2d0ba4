"""The Neutron agent's side of bagpipe-bgp, unchanged, driven line by line from a test.

Run with Debian's /usr/bin/python3 (python3-networking-bagpipe 17.0.0):
    agent-driver.py --host 127.0.160.1 --port 8082 [--ping-interval 1]

It imports the real agent code: the shared REST client BaGPipeBGPAgent
(networking_bagpipe/agent/bagpipe_bgp_agent.py, with its ping loop and its
httplib2 requests), the `bagpipe` ML2 agent extension (one E-VPN per VXLAN
network) and the `bagpipe_bgpvpn` agent extension (BGPVPN associations), both as
a Linux bridge agent loads them, and calls their real methods. Nothing of the
HTTP path is replaced. What stands in for the rest of Neutron:

* the RPC transport is oslo.messaging's in-memory `fake:/` driver, and the
  agent's RPC connection a stub whose consumers receive nothing: associations
  are pushed by calling the extension's own notification handler, as the RPC
  dispatcher would;
* the server side of the bgpvpn extension's pull RPC (`bulk_pull`) answers from
  the associations this script was given (FakeNeutronServer);
* `ip_lib.device_exists` answers for the tap devices of the ports given to the
  ML2 extension (the Linux bridge agent would have created them; the real check
  goes through privsep to the root namespace, where tests create no device).

Commands, one JSON object per line on stdin; one JSON line per command on
stdout: {"ok": true, "result": ..., "requests": [...], "errors": [...]}
where `requests` are the agent's own debug lines for each REST request it made
("POST attach_localport" ...) with the status it got, and `errors` the agent's
warning and error log lines, both during that command.

  {"op": "ml2_port", "data": {port data as the Linux bridge agent passes it}}
  {"op": "ml2_delete", "port_id": ...}
  {"op": "bgpvpn_net_assoc", "assoc": {...}}  (created, pushed to the extension)
  {"op": "bgpvpn_port", "data": {...}}
  {"op": "bgpvpn_delete", "port_id": ...}
  {"op": "status"}      -> {"status": "UP"|"DOWN", "seq_num": ...}
  {"op": "quit"}
"""
import argparse
import json
import logging
import re
import sys

# The ML2 extension module monkey-patches eventlet at import, as in the agent.
from networking_bagpipe.agent.bagpipe_ml2 import agent_extension as ml2_ext  # noqa: E402
from networking_bagpipe.agent.bgpvpn import agent_extension as bgpvpn_ext  # noqa: E402
from networking_bagpipe.agent import bagpipe_bgp_agent  # noqa: E402
from networking_bagpipe.objects import bgpvpn as bgpvpn_objects  # noqa: E402

import eventlet  # noqa: E402
from eventlet import tpool  # noqa: E402
import oslo_messaging  # noqa: E402
from oslo_config import cfg  # noqa: E402
from neutron.api.rpc.callbacks import events as callback_events  # noqa: E402
from neutron.plugins.ml2.drivers.linuxbridge.agent.common import \
    constants as lb_const  # noqa: E402
from neutron_lib import constants as n_const  # noqa: E402
from neutron_lib import rpc as n_rpc  # noqa: E402


class Capture(logging.Handler):
    """Keeps the agent's request lines and its warnings/errors."""

    REQUEST = re.compile(r'^bagpipe-bgp client request: (\w+) (\S+) ')
    RETURNS = re.compile(r'^bagpipe-bgp returns \[(\d+):')

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.requests = []
        self.errors = []

    def emit(self, record):
        msg = record.getMessage()
        m = self.REQUEST.match(msg)
        if m:
            self.requests.append({'method': m.group(1), 'action': m.group(2),
                                  'status': None})
            return
        m = self.RETURNS.match(msg)
        if m and self.requests:
            self.requests[-1]['status'] = int(m.group(1))
            return
        if record.levelno >= logging.WARNING:
            self.errors.append('%s %s: %s' % (record.levelname, record.name,
                                              msg))

    def take(self):
        # The ping loop runs beside the commands: its GETs are not part of them.
        requests = [r for r in self.requests if r['action'] != 'ping']
        errors = [e for e in self.errors
                  if 'Failed to connect to bagpipe-bgp' not in e]
        self.requests, self.errors = [], []
        return requests, errors


class FakeNeutronServer(object):
    """The server side of the bgpvpn extension's pull RPC."""

    def __init__(self):
        self.net_assocs = []

    def bulk_pull(self, context, resource_type, filter_kwargs=None):
        filter_kwargs = filter_kwargs or {}
        if resource_type == bgpvpn_objects.BGPVPNNetAssociation.obj_name():
            return [a for a in self.net_assocs
                    if a.network_id == filter_kwargs.get('network_id')]
        return []


class StubConnection(object):
    """The agent's RPC connection: consumers are registered, nothing arrives."""

    def create_consumer(self, *args, **kwargs):
        pass


def net_association(spec):
    vpn = spec['bgpvpn']
    bgpvpn = bgpvpn_objects.BGPVPN(
        id=vpn['id'], project_id='test', name=vpn.get('name'),
        type=vpn['type'], route_targets=vpn.get('route_targets', []),
        import_targets=vpn.get('import_targets', []),
        export_targets=vpn.get('export_targets', []),
        route_distinguishers=[], local_pref=vpn.get('local_pref'),
        vni=vpn.get('vni'))
    return bgpvpn_objects.BGPVPNNetAssociation(
        id=spec['id'], project_id='test', bgpvpn_id=bgpvpn.id, bgpvpn=bgpvpn,
        network_id=spec['network_id'], subnets=spec['subnets'])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--host', required=True)
    parser.add_argument('--port', type=int, required=True)
    parser.add_argument('--ping-interval', type=int, default=1)
    args = parser.parse_args()

    capture = Capture()
    logging.getLogger().handlers = []
    logging.getLogger().addHandler(capture)
    logging.getLogger().setLevel(logging.DEBUG)
    stderr = logging.StreamHandler(sys.stderr)
    stderr.setLevel(logging.INFO)
    stderr.setFormatter(logging.Formatter('%(levelname)s %(name)s: %(message)s'))
    logging.getLogger().addHandler(stderr)

    cfg.CONF([], project='neutron')
    cfg.CONF.set_override('bagpipe_bgp_ip', args.host, 'BAGPIPE')
    cfg.CONF.set_override('bagpipe_bgp_port', args.port, 'BAGPIPE')
    cfg.CONF.set_override('ping_interval', args.ping_interval, 'BAGPIPE')
    n_rpc.TRANSPORT = oslo_messaging.get_rpc_transport(cfg.CONF, url='fake:/')

    tap_devices = set()
    ml2_ext.ip_lib.device_exists = lambda name, namespace=None: (
        name in tap_devices)

    ml2 = ml2_ext.BagpipeML2AgentExtension()
    ml2.initialize(StubConnection(), lb_const.EXTENSION_DRIVER_TYPE)
    bgpvpn = bgpvpn_ext.BagpipeBgpvpnAgentExtension()
    bgpvpn.initialize(StubConnection(), lb_const.EXTENSION_DRIVER_TYPE)
    server = FakeNeutronServer()
    bgpvpn.rpc_pull_api = server
    agent = bagpipe_bgp_agent.BaGPipeBGPAgent.get_instance(
        n_const.AGENT_TYPE_LINUXBRIDGE)

    def run(cmd):
        op = cmd['op']
        if op == 'ml2_port':
            tap_devices.add(ml2_ext.lnx_agt.LinuxBridgeManager
                            .get_tap_device_name(cmd['data']['port_id']))
            ml2.handle_port(None, cmd['data'])
        elif op == 'ml2_delete':
            ml2.delete_port(None, {'port_id': cmd['port_id']})
        elif op == 'bgpvpn_net_assoc':
            assoc = net_association(cmd['assoc'])
            server.net_assocs.append(assoc)
            bgpvpn.handle_notification_net_assocs(
                None, assoc.obj_name(), [assoc], callback_events.CREATED)
        elif op == 'bgpvpn_port':
            bgpvpn.handle_port(None, cmd['data'])
        elif op == 'bgpvpn_delete':
            bgpvpn.delete_port(None, {'port_id': cmd['port_id']})
        elif op == 'status':
            return {'status': agent.bagpipe_bgp_status,
                    'seq_num': str(agent.seq_num)}
        else:
            raise ValueError('unknown op %r' % op)
        return None

    print(json.dumps({'ready': True}), flush=True)
    while True:
        # A real thread reads stdin, so the agent's ping loop (a green
        # thread) keeps running while the test decides what comes next.
        line = tpool.execute(sys.stdin.readline)
        if not line:
            break
        cmd = json.loads(line)
        if cmd['op'] == 'quit':
            break
        capture.take()
        try:
            result = run(cmd)
            requests, errors = capture.take()
            out = {'ok': True, 'result': result, 'requests': requests,
                   'errors': errors}
        except Exception as e:  # reported to the test, which fails on it
            requests, errors = capture.take()
            out = {'ok': False, 'error': '%s: %s' % (type(e).__name__, e),
                   'requests': requests, 'errors': errors}
        print(json.dumps(out), flush=True)
        eventlet.sleep(0)


if __name__ == '__main__':
    main()
