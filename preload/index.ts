import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { ipcChannels } from '../main/api/channels';
import type { ApiErrorValue, Result } from '../main/api/errors';
import type { MisBridge } from '../main/api/types';

/**
 * The preload exposes the API contract as `window.mis`, and nothing else: no ipcRenderer,
 * no Node. Inputs are not checked here; main validates every one of them.
 */
type EventListener = (event: unknown) => void;
const listeners = new Map<number, EventListener>();
let nextSubscriptionId = 1;

ipcRenderer.on(ipcChannels.event, (_event: IpcRendererEvent, id: unknown, payload: unknown) => {
  if (typeof id === 'number') listeners.get(id)?.(payload);
});

const bridge: MisBridge = {
  request: (name, input) => ipcRenderer.invoke(ipcChannels.request, name, input),
  subscribe(name, input, onEvent, onError) {
    const id = nextSubscriptionId++;
    listeners.set(id, onEvent as EventListener);
    void ipcRenderer.invoke(ipcChannels.subscribe, id, name, input).then(
      (result: Result<null>) => {
        if (!result.ok) {
          listeners.delete(id);
          onError(result.error);
        }
      },
      (error: unknown) => onError({ code: 'TRANSPORT_CLOSED', message: `The station service did not answer: ${String(error)}` } satisfies ApiErrorValue),
    );
    return () => {
      if (listeners.delete(id)) void ipcRenderer.invoke(ipcChannels.unsubscribe, id);
    };
  },
};

contextBridge.exposeInMainWorld('mis', bridge);
