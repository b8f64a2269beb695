import type { AppStatus } from '../../main/api/contract';

export type ConnectionState = 'online' | 'offline' | 'checking' | 'not-configured';

export interface ConnectionView {
  state: ConnectionState;
  label: string;
  explanation: string;
}

/** What the indicator tells the officer for each state of the central server. */
export function describeConnection(server: AppStatus['server']): ConnectionView {
  switch (server.reachability) {
    case 'reachable':
      return { state: 'online', label: 'Online', explanation: 'The central server is reachable. Records are sent as they are saved.' };
    case 'unreachable':
      return { state: 'offline', label: 'Offline', explanation: 'Working locally. Everything you save is kept on this station and sent when the server is reachable again.' };
    case 'checking':
      return { state: 'checking', label: 'Checking…', explanation: 'Checking whether the central server can be reached.' };
    case 'not-configured':
      return { state: 'not-configured', label: 'No server', explanation: 'This station has no central server configured. Ask IT staff to provision it.' };
  }
}
