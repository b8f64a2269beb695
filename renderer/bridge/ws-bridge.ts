import type { ApiErrorValue, Result } from '../../main/api/errors';
import type { MisBridge } from '../../main/api/types';
import type { ClientMessage, ServerMessage } from '../../main/api/ws-protocol';

interface ActiveSubscription {
  name: string;
  input: unknown;
  onEvent: (event: never) => void;
  onError: (error: ApiErrorValue) => void;
}

const closedError: ApiErrorValue = {
  code: 'TRANSPORT_CLOSED',
  message: 'The connection to the station service was lost. Reconnecting…',
};

/**
 * `window.mis` for a plain browser: the API contract over the headless shell's WebSocket.
 * It reconnects by itself and resumes every subscription, so the app above it behaves
 * as it does under Electron; while the socket is down, requests fail with
 * TRANSPORT_CLOSED and subscriptions report it through onError.
 */
export function createWebSocketBridge(url: string): MisBridge {
  let socket: WebSocket | undefined;
  let open = false;
  let nextId = 1;
  let retryMs = 250;
  const pending = new Map<number, (result: Result<unknown>) => void>();
  const subscriptions = new Map<number, ActiveSubscription>();
  const queued: ClientMessage[] = [];

  const send = (message: ClientMessage): void => {
    if (open && socket) socket.send(JSON.stringify(message));
    else queued.push(message);
  };

  const receive = (message: ServerMessage): void => {
    switch (message.type) {
      case 'response':
        pending.get(message.id)?.(message.result);
        pending.delete(message.id);
        break;
      case 'event':
        subscriptions.get(message.id)?.onEvent(message.event as never);
        break;
      case 'subscription-error':
        subscriptions.get(message.id)?.onError(message.error);
        subscriptions.delete(message.id);
        break;
      case 'protocol-error':
        console.error('The station service rejected a message:', message.error.message);
        break;
    }
  };

  const connect = (): void => {
    socket = new WebSocket(url);
    socket.onopen = () => {
      open = true;
      retryMs = 250;
      for (const [id, subscription] of subscriptions) socket?.send(JSON.stringify({ type: 'subscribe', id, name: subscription.name, input: subscription.input }));
      for (const message of queued.splice(0)) socket?.send(JSON.stringify(message));
    };
    socket.onmessage = (event: MessageEvent<string>) => receive(JSON.parse(event.data) as ServerMessage);
    socket.onclose = () => {
      const wasOpen = open;
      open = false;
      for (const resolve of pending.values()) resolve({ ok: false, error: closedError });
      pending.clear();
      queued.length = 0;
      if (wasOpen) for (const subscription of subscriptions.values()) subscription.onError(closedError);
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 5_000);
    };
  };
  connect();

  return {
    request(name, input) {
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve as (result: Result<unknown>) => void);
        send({ type: 'request', id, name, input });
      });
    },
    subscribe(name, input, onEvent, onError) {
      const id = nextId++;
      subscriptions.set(id, { name, input, onEvent: onEvent as (event: never) => void, onError });
      if (open) send({ type: 'subscribe', id, name, input });
      return () => {
        if (subscriptions.delete(id) && open) send({ type: 'unsubscribe', id });
      };
    },
  };
}
