import type { TFunction } from 'i18next';
import type { AppStatus } from '../../main/api/contract';

export type ConnectionState = 'online' | 'offline' | 'checking' | 'not-configured';

export interface ConnectionView {
  state: ConnectionState;
  label: string;
  explanation: string;
}

/** What the indicator tells the officer for each state of the central server. */
export function describeConnection(server: AppStatus['server'], t: TFunction): ConnectionView {
  switch (server.reachability) {
    case 'reachable':
      return { state: 'online', label: t('connection.onlineLabel'), explanation: t('connection.onlineExplanation') };
    case 'unreachable':
      return { state: 'offline', label: t('connection.offlineLabel'), explanation: t('connection.offlineExplanation') };
    case 'checking':
      return { state: 'checking', label: t('connection.checkingLabel'), explanation: t('connection.checkingExplanation') };
    case 'not-configured':
      return { state: 'not-configured', label: t('connection.notConfiguredLabel'), explanation: t('connection.notConfiguredExplanation') };
  }
}
