import type { MisBridge } from '../main/api/types';

declare global {
  interface Window {
    /** Set by Electron's preload; absent in a plain browser, where the WebSocket bridge takes its place. */
    mis?: MisBridge;
  }
}
