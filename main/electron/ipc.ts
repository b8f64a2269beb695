import { ipcMain, type WebContents } from 'electron';
import type { Logger } from 'pino';
import type { ApiDispatcher } from '../api/dispatcher';
import { ipcChannels } from '../api/channels';
import { failure } from '../api/errors';
import type { CallContext } from '../api/types';
import { isTrustedSender } from '../security/ipc-sender';

/**
 * The Electron transport: ipcMain carries the API contract to the same dispatcher as the
 * headless shell. Every handler checks its sender before anything else.
 */
export function serveApiOverIpc(dispatcher: ApiDispatcher, log: Logger): void {
  const contexts = new Map<number, CallContext>();
  const subscriptions = new Map<number, Map<number, () => void>>();

  const contextOf = (contents: WebContents): CallContext => {
    let context = contexts.get(contents.id);
    if (!context) {
      // Each window logs in on its own; closing it logs its officer out.
      context = dispatcher.openSession();
      contexts.set(contents.id, context);
      const id = contents.id;
      contents.once('destroyed', () => {
        for (const stop of subscriptions.get(id)?.values() ?? []) stop();
        subscriptions.delete(id);
        const closing = contexts.get(id);
        if (closing) dispatcher.closeSession(closing);
        contexts.delete(id);
      });
    }
    return context;
  };

  const refuse = () => {
    log.warn('API call refused: the sender is not the app window');
    return failure('FORBIDDEN', 'Only the MIS Station window may call the station service.');
  };

  ipcMain.handle(ipcChannels.request, (event, name: unknown, input: unknown) => {
    if (!isTrustedSender(event)) return refuse();
    return dispatcher.request(name, input, contextOf(event.sender));
  });

  ipcMain.handle(ipcChannels.subscribe, (event, id: unknown, name: unknown, input: unknown) => {
    if (!isTrustedSender(event)) return refuse();
    if (typeof id !== 'number' || !Number.isInteger(id)) return failure('INVALID_INPUT', 'A subscription needs a whole-number id.');
    const contents = event.sender;
    const context = contextOf(contents);
    const started = dispatcher.subscribe(name, input, context, (payload) => {
      if (!contents.isDestroyed()) contents.send(ipcChannels.event, id, payload);
    });
    if (!started.ok) return started;
    let perWindow = subscriptions.get(contents.id);
    if (!perWindow) subscriptions.set(contents.id, (perWindow = new Map()));
    perWindow.get(id)?.();
    perWindow.set(id, started.value);
    return { ok: true, value: null };
  });

  ipcMain.handle(ipcChannels.unsubscribe, (event, id: unknown) => {
    if (!isTrustedSender(event)) return refuse();
    const perWindow = subscriptions.get(event.sender.id);
    if (typeof id === 'number') {
      perWindow?.get(id)?.();
      perWindow?.delete(id);
    }
    return { ok: true, value: null };
  });
}
