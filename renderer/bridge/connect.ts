import type { MisBridge } from '../../main/api/types';
import { createWebSocketBridge } from './ws-bridge';

const tokenKey = 'mis.launchToken';

/**
 * The launch token arrives in the address's fragment, which the browser never sends to
 * any server. Keep it for this tab only, and take it out of the address bar.
 */
function takeLaunchToken(): string | null {
  const fromAddress = new URLSearchParams(window.location.hash.slice(1)).get('token');
  if (fromAddress) {
    sessionStorage.setItem(tokenKey, fromAddress);
    history.replaceState(null, '', window.location.pathname + window.location.search);
  }
  return sessionStorage.getItem(tokenKey);
}

/** Why there is no bridge; the page says it in the officer's language. */
export type BridgeProblem = 'missing-launch-token';

export type BridgeConnection = { bridge: MisBridge } | { bridge: null; problem: BridgeProblem };

/** Electron's preload provides window.mis; in a plain browser the WebSocket bridge does. */
export function connectBridge(): BridgeConnection {
  if (window.mis) return { bridge: window.mis };
  const token = takeLaunchToken();
  if (!token) {
    return { bridge: null, problem: 'missing-launch-token' };
  }
  const url = `ws://${window.location.host}/api?token=${encodeURIComponent(token)}`;
  return { bridge: createWebSocketBridge(url) };
}
