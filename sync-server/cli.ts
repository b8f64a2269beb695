import { buildSyncServer, serverLoggerOptions } from './app';

/**
 * `npm run server`: the central sync server. HOST defaults to loopback so that a server
 * started by hand is not exposed by accident; set HOST=0.0.0.0 to serve stations.
 */
async function main(): Promise<void> {
  const host = process.env.HOST ?? '127.0.0.1';
  const port = Number(process.env.PORT ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`PORT must be a port number: ${process.env.PORT}`);
  const app = await buildSyncServer({ logger: serverLoggerOptions(process.env.LOG_LEVEL ?? 'info') });
  await app.listen({ host, port });

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down: finishing requests in flight');
    // A request that hangs must not keep the server from stopping forever.
    const force = setTimeout(() => {
      app.log.error('shutdown took longer than 10 s; exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    app.close().then(
      () => {
        app.log.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        app.log.error({ err: { name: (error as Error).name } }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`The sync server could not start: ${(error as Error).message}\n`);
  process.exit(1);
});
