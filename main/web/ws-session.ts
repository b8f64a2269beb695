import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import type { ApiDispatcher } from '../api/dispatcher';
import { clientMessageSchema, type ServerMessage } from '../api/ws-protocol';

/**
 * One renderer connected over the WebSocket: carries requests and subscriptions to the
 * dispatcher and stops every subscription when the socket closes.
 */
export function serveApiSession(socket: WebSocket, dispatcher: ApiDispatcher, log: Logger): void {
  // Each connection logs in on its own; closing it logs its officer out.
  const context = dispatcher.openSession();
  const subscriptions = new Map<number, () => void>();

  const send = (message: ServerMessage): void => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };

  socket.on('message', (data, isBinary) => {
    let json: unknown;
    try {
      json = isBinary ? undefined : JSON.parse(data.toString());
    } catch {
      json = undefined;
    }
    const parsed = clientMessageSchema.safeParse(json);
    if (!parsed.success) {
      log.warn('malformed message on the API socket');
      send({ type: 'protocol-error', error: { code: 'INVALID_INPUT', message: 'The message is not a valid API message.' } });
      return;
    }
    const message = parsed.data;
    switch (message.type) {
      case 'request':
        void dispatcher.request(message.name, message.input, context).then((result) => send({ type: 'response', id: message.id, result }));
        break;
      case 'subscribe': {
        if (subscriptions.has(message.id)) {
          send({ type: 'subscription-error', id: message.id, error: { code: 'INVALID_INPUT', message: 'This subscription id is already in use.' } });
          break;
        }
        const started = dispatcher.subscribe(message.name, message.input, context, (event) => send({ type: 'event', id: message.id, event }));
        if (started.ok) subscriptions.set(message.id, started.value);
        else send({ type: 'subscription-error', id: message.id, error: started.error });
        break;
      }
      case 'unsubscribe':
        subscriptions.get(message.id)?.();
        subscriptions.delete(message.id);
        break;
    }
  });

  socket.on('close', () => {
    for (const stop of subscriptions.values()) stop();
    subscriptions.clear();
    dispatcher.closeSession(context);
  });
}
