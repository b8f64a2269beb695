import { createServer } from 'node:net';

/** A port of 127.0.0.1 no one listens on now, as the OS hands it out (for a server a test starts later). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('The OS gave no port.'))));
    });
  });
}
