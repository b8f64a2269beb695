import WebSocket from 'ws';

export interface UpgradeOutcome {
  opened: boolean;
  status?: number;
  socket?: WebSocket;
}

/** Tries to open the shell's API socket and reports whether the server accepted it. */
export function tryConnect(url: string, headers: Record<string, string> = {}): Promise<UpgradeOutcome> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, { headers });
    socket.once('open', () => resolve({ opened: true, socket }));
    socket.once('unexpected-response', (_request, response) => {
      resolve({ opened: false, status: response.statusCode });
      socket.terminate();
    });
    socket.once('error', () => resolve({ opened: false }));
  });
}

/** Sends one message and waits for the first reply that satisfies `matches`. */
export function exchange(socket: WebSocket, message: unknown, matches: (reply: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData): void => {
      const reply = JSON.parse(data.toString()) as Record<string, unknown>;
      if (matches(reply)) {
        socket.off('message', onMessage);
        resolve(reply);
      }
    };
    socket.on('message', onMessage);
    socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  });
}
