/** An API server in-process on a free loopback port, over a BGP manager without peers and the dummy drivers. */
import type { LinkPlumbing } from '../../src/dataplane/links.js';
import { request } from 'node:http';
import { ApiServer } from '../../src/api/server.js';
import { LogBuffer } from '../../src/api/log-buffer.js';
import { DummyDataplaneDriver } from '../../src/dataplane/dummy.js';
import { BgpManager, type BgpManagerConfig } from '../../src/session/bgp-manager.js';
import { memoryLogger } from '../../src/util/logger.js';
import { VpnManager } from '../../src/vpn/vpn-manager.js';
import { freePort } from '../helpers/ports.js';

export const HOST = '127.0.142.1';

export interface Api {
  server: ApiServer;
  bgp: BgpManager;
  vpn: VpnManager;
  logs: LogBuffer;
  port: number;
  close(): Promise<void>;
}

/** `links`: the privileged link commands (E-VPN plugged into an IP VPN); none by default. */
export async function startApi(links?: LinkPlumbing): Promise<Api> {
  const logs = new LogBuffer();
  const log = logs.wrap(memoryLogger());
  const bgp = new BgpManager({ localAddress: '127.0.142.1', localAs: 64512, enableRtc: true, peerPort: 179, peers: [] }, log);
  const drivers = { ipvpn: new DummyDataplaneDriver('ipvpn', '127.0.142.1', {}, log), evpn: new DummyDataplaneDriver('evpn', '127.0.142.1', {}, log) };
  const vpn = new VpnManager({ rtm: bgp.rtm, localAddress: '127.0.142.1', drivers, log, ...(links ? { links } : {}) });
  const port = await freePort(HOST);
  const server = new ApiServer({
    host: HOST,
    port,
    vpn,
    log,
    lookingGlass: { bgp, vpn, config: undefined, logs, startTime: new Date(), version: '0.1.0' },
  });
  await server.start();
  return { server, bgp, vpn, logs, port, close: () => server.stop() };
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json(): unknown;
}

/** `port` alone: on HOST; or [host, port]. */
export function call(target: number | [string, number], method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<Reply> {
  const [host, port] = typeof target === 'number' ? [HOST, target] : target;
  return new Promise((resolve, reject) => {
    const req = request({ host, port, method, path, headers: { ...(body !== undefined ? { 'Content-Length': String(Buffer.byteLength(body)) } : {}), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, json: () => JSON.parse(text) as unknown });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** POST a JSON body with the agent's headers (Accept: application/json). */
export function post(target: number | [string, number], path: string, body: unknown): Promise<Reply> {
  return call(target, 'POST', path, typeof body === 'string' ? body : JSON.stringify(body), { 'Content-Type': 'application/json', Accept: 'application/json' });
}

/** One of our daemons in-process (BGP manager, VPN manager with dummy drivers, REST API on its address), stopped at teardown. */
export interface Node {
  address: string;
  bgp: BgpManager;
  vpn: VpnManager;
  api: ApiServer;
  apiPort: number;
  records: { level: string; name: string; msg: string }[];
  logs: LogBuffer;
}

export async function startNode(cfg: BgpManagerConfig, teardown: { add(step: () => unknown): void }): Promise<Node> {
  const address = cfg.localAddress;
  const mem = memoryLogger([], `node.${address}`);
  const logs = new LogBuffer();
  const log = logs.wrap(mem);
  // Loggers named as in the daemon (bagpipe-bgp.ts), so that per-object looking-glass logs work.
  const bgp = new BgpManager(cfg, log.child('bgp'));
  const drivers = {
    ipvpn: new DummyDataplaneDriver('ipvpn', address, {}, log.child('dataplane.ipvpn')),
    evpn: new DummyDataplaneDriver('evpn', address, {}, log.child('dataplane.evpn')),
  };
  const vpn = new VpnManager({ rtm: bgp.rtm, localAddress: address, drivers, log: log.child('vpn'), salt: address });
  const apiPort = await freePort(address);
  const api = new ApiServer({ host: address, port: apiPort, vpn, log, lookingGlass: { bgp, vpn, config: undefined, logs, startTime: new Date(), version: 'test' } });
  await api.start();
  teardown.add(async () => {
    await api.stop();
    await vpn.stop();
    await bgp.stop();
  });
  await bgp.start();
  return { address, bgp, vpn, api, apiPort, records: mem.records, logs };
}
