import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../log';
import { StationStatusService } from './station-status';

function healthServer(status = 200): Promise<Server> {
  const server = createServer((_request, response) => response.writeHead(status, { 'content-type': 'application/json' }).end('{"status":"ok"}'));
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function portOf(server: Server): number {
  return (server.address() as AddressInfo).port;
}

function closed(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

function serviceFor(serverUrl: string | null): StationStatusService {
  return new StationStatusService({ stationId: 'BIH-TEST-01', serverUrl, dataDir: '/tmp/x', probeIntervalMs: 100 }, '1.2.3', '/tmp/x/station.db', silentLogger);
}

function nextChange(service: StationStatusService): Promise<ReturnType<StationStatusService['current']>> {
  return new Promise((resolve) => {
    const stop = service.onChange((status) => {
      stop();
      resolve(status);
    });
  });
}

describe('the station status', () => {
  const started: StationStatusService[] = [];
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((service) => service.stop()));
    await Promise.all(servers.splice(0).map((server) => closed(server).catch(() => undefined)));
  });

  it('says no server is configured when the station has none, and never probes', async () => {
    const service = serviceFor(null);
    service.start();
    started.push(service);
    expect(service.current().server).toEqual({ url: null, reachability: 'not-configured', lastCheckedAt: null, problem: null });
  });

  it('reports a running server as reachable', async () => {
    const server = await healthServer();
    servers.push(server);
    const service = serviceFor(`http://127.0.0.1:${portOf(server)}`);
    const change = nextChange(service);
    service.start();
    started.push(service);
    expect((await change).server).toMatchObject({ reachability: 'reachable', problem: null });
  });

  it('reports a refused connection as unreachable, with a reason IT staff can act on', async () => {
    const server = await healthServer();
    const port = portOf(server);
    await closed(server);
    const service = serviceFor(`http://127.0.0.1:${port}`);
    const change = nextChange(service);
    service.start();
    started.push(service);
    const status = await change;
    expect(status.server.reachability).toBe('unreachable');
    expect(status.server.problem).toContain('refused the connection');
  });

  it('reports a server that answers its health check with an error as unreachable', async () => {
    const server = await healthServer(503);
    servers.push(server);
    const service = serviceFor(`http://127.0.0.1:${portOf(server)}`);
    const change = nextChange(service);
    service.start();
    started.push(service);
    expect((await change).server).toMatchObject({ reachability: 'unreachable', problem: expect.stringContaining('HTTP 503') });
  });

  it('notices when the server goes away and when it comes back', async () => {
    const server = await healthServer();
    const port = portOf(server);
    const service = serviceFor(`http://127.0.0.1:${port}`);
    let change = nextChange(service);
    service.start();
    started.push(service);
    expect((await change).server.reachability).toBe('reachable');

    change = nextChange(service);
    await closed(server);
    expect((await change).server.reachability).toBe('unreachable');

    change = nextChange(service);
    const again = createServer((_request, response) => response.end('{}'));
    await new Promise<void>((resolve) => again.listen(port, '127.0.0.1', () => resolve()));
    servers.push(again);
    expect((await change).server.reachability).toBe('reachable');
  });
});
