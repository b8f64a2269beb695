import { isAppUrl } from './app-origin';

/** What an IPC event says about its sender; Electron's IpcMainInvokeEvent has this shape. */
export interface IpcSender {
  readonly senderFrame: { readonly url: string } | null;
  readonly sender: { readonly mainFrame: object };
}

/**
 * Only the app's own top-level frame may call the API: not an iframe (even one on the
 * app's origin), not a page the window was somehow navigated to, not a frame already gone.
 */
export function isTrustedSender(event: IpcSender): boolean {
  const frame = event.senderFrame;
  return frame !== null && frame === event.sender.mainFrame && isAppUrl(frame.url);
}
