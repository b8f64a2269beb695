/**
 * Electron IPC channel names shared by main/electron and preload. Plain constants so
 * that the sandboxed preload bundle stays free of zod and of everything else.
 */
export const ipcChannels = {
  request: 'mis:request',
  subscribe: 'mis:subscribe',
  unsubscribe: 'mis:unsubscribe',
  event: 'mis:event',
} as const;
