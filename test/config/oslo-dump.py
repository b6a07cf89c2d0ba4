#!/usr/bin/python3
"""Reference oracle for test/config: loads bagpipe-bgp config files with the real oslo.config.

Registers exactly the options networking-bagpipe 17.0.0 registers (copied from its sources:
api/config.py, common/config.py, common/run_command.py, vpn/dataplane_drivers.py and the
driver modules, plus oslo.log's options), parses the command line arguments given after the
script name the way `bagpipe-bgp` does (`--config-file`, `--config-dir`), then registers the
driver options of the selected drivers (as the daemon does when it instantiates them) and prints
one JSON object on stdout:

  {"ok": true, "values": {"API": {"host": ...}, ...}}
  {"ok": false, "kind": "<exception class>", "error": "<str(exception)>"}

Only python3-oslo.config (and its dependency python3-oslo.log) is needed: the InterfaceAddress
type resolves interface names with an ioctl instead of pyroute2.

Environment: ORACLE_DEFAULT_CONFIG_FILES (colon-separated, default empty) stands for the
daemon's default_config_files (/etc/bagpipe-bgp/bgp.conf); default_config_dirs is always empty.

With the single argument --batch, reads a JSON list of cases on stdin
([{"args": [...], "env": {...}, "default_files": [...]}]) and prints the list of results.
"""
import fcntl
import json
import os
import socket
import struct
import sys

from oslo_config import cfg
from oslo_config import types
from oslo_log import log as logging


class InterfaceAddress(types.ConfigType):
    def __init__(self, type_name="interface address value", version=4):
        super().__init__(type_name=type_name)
        self.ip_address = types.IPAddress(version)

    def __call__(self, value):
        try:
            return self.ip_address(value)
        except ValueError:
            names = [n for _, n in socket.if_nameindex()]
            if value not in names:
                raise ValueError("interface %s does not exist" % value)
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            try:
                packed = fcntl.ioctl(s.fileno(), 0x8915,  # SIOCGIFADDR
                                     struct.pack('256s', value[:15].encode()))
            except OSError:
                raise ValueError("no IPv%s address found on interface %s",
                                 4, value)
            finally:
                s.close()
            return self.ip_address(socket.inet_ntoa(packed[20:24]))

    def _formatter(self, value):
        return value


api_opts = [
    cfg.HostAddressOpt("host", default="127.0.0.1", deprecated_name="api_host"),
    cfg.PortOpt("port", default=8082, deprecated_name="api_port"),
]
bgp_opts = [
    cfg.Opt('local_address', required=True, type=InterfaceAddress()),
    cfg.ListOpt('peers', default=[], item_type=types.HostAddress(version=4)),
    cfg.IntOpt('my_as', min=1, max=2**16 - 1, required=True),
    cfg.BoolOpt('enable_rtc', default=True),
    cfg.PortOpt('bgp_port', default=179),
]
common_opts = [
    cfg.StrOpt("root_helper", default="sudo"),
    cfg.StrOpt("root_helper_daemon"),
]
dataplane_common_opts = [
    cfg.Opt("dataplane_local_address", type=InterfaceAddress()),
    cfg.StrOpt("dataplane_driver", default="dummy"),
]
ipvpn_linux_opts = [cfg.StrOpt("mpls_interface")]
ipvpn_ovs_opts = [
    cfg.StrOpt("mpls_interface"),
    cfg.StrOpt("mpls_over_gre", choices=['auto', 'True', 'False'], default="auto"),
    cfg.BoolOpt("proxy_arp", default=False),
    cfg.BoolOpt("arp_responder", default=False),
    cfg.BoolOpt("vxlan_encap", default=False),
    cfg.StrOpt("ovs_bridge", default="br-mpls"),
    cfg.IntOpt("input_table", default=0),
    cfg.IntOpt("ovs_table_id_start", default=1),
    cfg.StrOpt("gre_tunnel", default="mpls_gre"),
    cfg.ListOpt("gre_tunnel_options", default=[], item_type=types.String()),
    cfg.IntOpt("ovsbr_interfaces_mtu"),
    cfg.StrOpt("hash_method", choices=["hash", "dp_hash"], default="dp_hash"),
    cfg.StrOpt("hash_method_param", default=0),
    cfg.ListOpt("hash_fields", default=[]),
]
evpn_linux_opts = [cfg.IntOpt("vxlan_dst_port", default="4789")]
evpn_ovs_opts = [cfg.StrOpt("ovs_bridge", default="br-tun")]

DRIVERS = {
    'IPVPN': {
        'dummy': [], 'DummyDataplaneDriver': [],
        'bagpipe.bgp.vpn.ipvpn.DummyDataplaneDriver': [],
        'linux': ipvpn_linux_opts,
        'mpls_linux_dataplane.MPLSLinuxDataplaneDriver': ipvpn_linux_opts,
        'bagpipe.bgp.vpn.ipvpn.mpls_linux_dataplane.MPLSLinuxDataplaneDriver':
            ipvpn_linux_opts,
        'ovs': ipvpn_ovs_opts,
        'mpls_ovs_dataplane.MPLSOVSDataplaneDriver': ipvpn_ovs_opts,
        'bagpipe.bgp.vpn.ipvpn.mpls_ovs_dataplane.MPLSOVSDataplaneDriver':
            ipvpn_ovs_opts,
    },
    'EVPN': {
        'dummy': [], 'DummyDataplaneDriver': [],
        'bagpipe.bgp.vpn.evpn.DummyDataplaneDriver': [],
        'linux': evpn_linux_opts,
        'linux_vxlan.LinuxVXLANDataplaneDriver': evpn_linux_opts,
        'bagpipe.bgp.vpn.evpn.linux_vxlan.LinuxVXLANDataplaneDriver':
            evpn_linux_opts,
        'ovs': evpn_ovs_opts,
    },
}

LOG_OPTS = ['debug', 'log_config_append', 'log_date_format', 'log_file', 'log_dir',
            'watch_log_file', 'use_syslog', 'use_journal', 'syslog_log_facility',
            'use_json', 'use_stderr', 'default_log_levels']


def dump_group(conf, group, opts):
    out = {}
    for opt in opts:
        out[opt.dest] = getattr(conf.get(group) if group else conf, opt.dest)
    return out


def load(args):
    conf = cfg.ConfigOpts()
    logging.register_options(conf)
    conf.register_opts(api_opts, "API")
    conf.register_opts(bgp_opts, "BGP")
    conf.register_opts(common_opts, "COMMON")
    for vpn_type in ('EVPN', 'IPVPN'):
        conf.register_opts(dataplane_common_opts, "DATAPLANE_DRIVER_" + vpn_type)
    defaults = [f for f in os.environ.get('ORACLE_DEFAULT_CONFIG_FILES', '').split(':') if f]
    try:
        conf(args=args, project='bagpipe-bgp', prog='bagpipe-bgp',
             default_config_files=defaults, default_config_dirs=[])
        # bgp_daemon.setup_logging() / fix_log_file()
        logging.set_defaults(default_log_levels=logging.get_default_log_levels() + [
            'networking_bagpipe.bagpipe_bgp.engine.exabgp_peer_worker.exabgp=INFO',
            'networking_bagpipe.bagpipe_bgp.common.looking_glass=WARNING',
            'networking_bagpipe.bagpipe_bgp.engine.route_table_manager=INFO',
            'ovsdbapp.backend.ovs_idl.vlog=INFO',
        ])
        if conf.log_file and conf.log_file.endswith('.conf'):
            conf.log_file = None
        values = {
            'DEFAULT': {k: getattr(conf, k) for k in LOG_OPTS},
            'API': dump_group(conf, 'API', api_opts),
            'BGP': dump_group(conf, 'BGP', bgp_opts),
            'COMMON': dump_group(conf, 'COMMON', common_opts),
        }
        for vpn_type in ('IPVPN', 'EVPN'):
            group = "DATAPLANE_DRIVER_" + vpn_type
            name = conf.get(group).dataplane_driver
            if name not in DRIVERS[vpn_type]:
                raise LookupError('No %r driver found, looking for %r' % (
                    'bagpipe.dataplane.' + vpn_type.lower(), name))
            opts = DRIVERS[vpn_type][name]
            conf.register_opts(opts, group)
            values[group] = dump_group(conf, group, dataplane_common_opts + opts)
        values['obsolete_dataplane_driver_section'] = 'DATAPLANE_DRIVER' in conf
        return {'ok': True, 'values': values}
    except SystemExit as e:
        return {'ok': False, 'kind': 'SystemExit', 'error': str(e.code)}
    except Exception as e:  # noqa: BLE001 - the oracle reports every failure as data
        return {'ok': False, 'kind': type(e).__name__, 'error': str(e)}


def main():
    if sys.argv[1:] == ['--batch']:
        # stdin: [{"args": [...], "env": {...}, "default_files": [...]}, ...]
        results = []
        for case in json.load(sys.stdin):
            saved = dict(os.environ)
            os.environ.update(case.get('env', {}))
            os.environ['ORACLE_DEFAULT_CONFIG_FILES'] = ':'.join(case.get('default_files', []))
            try:
                results.append(load(case['args']))
            finally:
                os.environ.clear()
                os.environ.update(saved)
        print(json.dumps(results, sort_keys=True))
    else:
        print(json.dumps(load(sys.argv[1:]), sort_keys=True))


if __name__ == '__main__':
    main()
