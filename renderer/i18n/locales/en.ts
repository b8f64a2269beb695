import { borderTexts } from './sections/border';
import { registrationTexts } from './sections/registration';
import { searchTexts } from './sections/search';
import { shiftTexts } from './sections/shift';

/**
 * English, the reference locale: every other locale has exactly these keys (checked by
 * test/i18n/translation-keys.test.ts). The e2e tests assert on these texts.
 */
export const en = {
  app: {
    starting: 'Starting…',
    changePassword: 'Change password',
    lock: 'Lock',
    logOut: 'Log out',
    language: 'Language',
  },
  bridge: {
    missingToken: 'This page needs the access token of the running station service. Open the full address that `{{command}}` printed.',
  },
  login: {
    title: 'Log in',
    username: 'Username',
    password: 'Password',
    checking: 'Checking…',
    submit: 'Log in',
  },
  lock: {
    title: 'Screen locked',
    explanation: 'Locked for {{name}} ({{badgeNumber}}). Enter your password to go on, or log out so that another officer can log in.',
    unlock: 'Unlock',
  },
  password: {
    titleRequired: 'Choose your own password',
    titleOptional: 'Change your password',
    oneTimeExplanation: 'You logged in with a one-time password. Choose your own before you go on (this needs the central server).',
    current: 'Current password',
    new: 'New password (at least 12 characters)',
    repeated: 'New password again',
    mismatch: 'The two new passwords differ.',
    submit: 'Change password',
    cancel: 'Cancel',
  },
  connection: {
    onlineLabel: 'Online',
    onlineExplanation: 'The central server is reachable. Records are sent as they are saved.',
    offlineLabel: 'Offline',
    offlineExplanation: 'Working locally. Everything you save is kept on this station and sent when the server is reachable again.',
    checkingLabel: 'Checking…',
    checkingExplanation: 'Checking whether the central server can be reached.',
    notConfiguredLabel: 'No server',
    notConfiguredExplanation: 'This station has no central server configured. Ask IT staff to provision it.',
  },
  store: {
    opening: 'Opening the local store…',
    open: 'Local store open. Records are saved on this station.',
    unavailable: 'The local store cannot be used. Nothing can be saved until IT staff fix it.',
  },
  status: {
    title: 'Station status',
    station: 'Station',
    notProvisioned: 'Not provisioned',
    centralServer: 'Central server',
    notConfigured: 'Not configured',
    since: 'Since',
    localStore: 'Local store',
    officer: 'Officer',
    notLoggedIn: 'Not logged in',
    version: 'Version',
  },
  devices: {
    title: 'Readers and scanners',
    count_one: '{{count}} device set up',
    count_other: '{{count}} devices set up',
    noneSetUp: 'No devices are set up for this station ({{file}} in its data folder).',
    connecting: 'Connecting…',
    ready: 'Ready',
    busy: 'Busy',
    error: 'Not working',
    closed: 'Closed',
    disabled: 'Switched off in the settings',
    retrying: 'trying again',
    presentTraining: 'Present a training document',
    unreadable: 'The document could not be read ({{code}}). Put it on the reader again.',
    checkDigitsDiffer: 'check digits do not match: compare with the document',
  },
  nav: {
    label: 'Workflows',
    registration: 'Registration',
    border: 'Border control',
    search: 'Search',
    shift: 'Shift',
    settings: 'Settings',
    status: 'Station',
    syncNotConfigured: 'Sync not set up',
    syncIdle: 'Synced',
    syncing: 'Syncing…',
    syncFailing: 'Sync failing',
    unsent_one: '{{count}} record unsent',
    unsent_other: '{{count}} records unsent',
    lastSync: 'last sync {{time}}',
  },
  registration: registrationTexts.en,
  border: borderTexts.en,
  search: searchTexts.en,
  shift: shiftTexts.en,
} as const;

/** The shape every locale must have: the same keys as English, any strings. */
export type Translations = { [Section in keyof typeof en]: { [Key in keyof (typeof en)[Section]]: string } };
