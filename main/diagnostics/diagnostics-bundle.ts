import type Database from 'better-sqlite3-multiple-ciphers';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { arch, platform, release, type as osType } from 'node:os';
import { join } from 'node:path';
import type { AppStatus, DevicesStatus } from '../api/contract';
import { verifyStationAuditTrails } from '../audit/verify-station';
import { loadDeviceSettings, deviceSettingsFile, type DeviceSetting } from '../devices/device-settings';
import { stationLogFile } from '../log-file';
import { serverKeyFingerprint } from '../provisioning/bundle-check';
import { probeServer } from '../services/server-reachability';
import { readStationFile, stationFilePath } from '../services/station-config';
import { fileKeyVault, type KeyVault } from '../store/database-key';
import { stationStoreFiles } from '../store/station-files';
import { stationLockHolder } from '../store/station-lock';
import { loadStationCredential, stationCredentialFormat } from '../sync/station-credential';
import type { SyncStatus } from '../sync/sync-service';
import { appVersion } from '../version';
import { readLogTail, type LogLine } from './log-tail';
import { KnownPersonalData, MaterialWords, scrubText } from './personal-data';
import { lookUpPersonalData, openForDiagnostics, storeFacts, type StoreFacts } from './store-facts';

/**
 * The diagnostics bundle: one JSON file IT staff can send to whoever supports the
 * station, holding what is needed to find out why a station fails (versions, its
 * configuration without secrets, its devices, its sync, its database's integrity, its
 * audit chain, the end of its log) and no personal data. Records' contents are never
 * read into it; the free text that comes with it (log lines, messages from the server,
 * device details) goes through the scrubber (personal-data.ts), with the names, document
 * numbers and dates of birth the station's own store holds.
 *
 * Written by `npm run diagnostics` (the station need not run) and by the desktop app's
 * Help menu (with what the running app knows besides: live sync and device states).
 */

export const DIAGNOSTICS_FORMAT = 'mis-station-diagnostics/1';

/** What the running app knows and a file on disk does not. */
export interface LiveStatus {
  station: Omit<AppStatus, 'officer'>;
  sync: SyncStatus;
  devices: DevicesStatus;
}

export interface DiagnosticsOptions {
  dataDir: string;
  /** The folder the bundle is written to (made if missing). */
  outDir: string;
  /** The database key's vault; null when this process cannot have it (the reason says why). */
  keyVault: KeyVault | { unavailable: string };
  /** The station credential's vault, to check it is there and well-formed (never to copy it). */
  credentialVault?: KeyVault | { unavailable: string };
  live?: LiveStatus;
  /** Ask the central server's health check (the command does; the app knows already). */
  probeServer?: boolean;
  now?: () => Date;
}

export type DiagnosticsBundle = Record<string, unknown> & { format: string };

export interface WrittenBundle {
  file: string;
  bytes: number;
  integrityOk: boolean | null;
  storeInUseBy: number | null;
}

const WITHHELD = '[withheld: the store could not be read, so names in this text could not be checked]';

/**
 * Fields of a pino line that hold codes, ids and counts, kept even when names cannot be
 * checked. Not the message: a careless caller may have put a name into it.
 */
const STRUCTURAL_LOG_FIELDS = new Set(['level', 'time', 'pid', 'hostname', 'name', 'service', 'code', 'collection', 'count', 'errorName', 'storeState', 'state', 'signal', 'port', 'recordId', 'deviceId', 'direction', 'kind']);

function versions(db: StoreFacts | null): Record<string, string | null> {
  return {
    app: appVersion,
    node: process.versions.node,
    electron: process.versions.electron ?? null,
    chrome: process.versions.chrome ?? null,
    v8: process.versions.v8,
    os: `${osType()} ${release()}`,
    platform: platform(),
    arch: arch(),
    sqlite: db?.sqliteVersion ?? null,
    sqliteCipher: db?.cipherVersion ?? null,
  };
}

/** A server address without any user name or password someone may have put into it. */
function withoutUserInfo(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString().replace(/\/$/, '');
  } catch (error) {
    if (error instanceof TypeError) return '(not a valid address)';
    throw error;
  }
}

/** Whether a secret's file is there and only its owner can read it: never what is in it. */
function secretFile(path: string): { file: string; present: boolean; mode: string | null; ownerOnly: boolean | null } {
  if (!existsSync(path)) return { file: path, present: false, mode: null, ownerOnly: null };
  const mode = statSync(path).mode & 0o777;
  return { file: path, present: true, mode: mode.toString(8).padStart(3, '0'), ownerOnly: process.platform === 'win32' ? null : (mode & 0o077) === 0 };
}

const KNOWN_ENVIRONMENT = ['MIS_DATA_DIR', 'MIS_STATION_ID', 'MIS_SERVER_URL', 'MIS_PROBE_INTERVAL_MS', 'MIS_LOG_LEVEL', 'MIS_WEB_PORT'];

function configuration(dataDir: string): Record<string, unknown> {
  const files = stationStoreFiles(dataDir);
  let station: Record<string, unknown>;
  try {
    const file = readStationFile(stationFilePath(dataDir));
    station = {
      stationId: file.stationId ?? null,
      serverUrl: withoutUserInfo(file.serverUrl),
      serverKeyFingerprint: file.serverPublicKey ? serverKeyFingerprint(file.serverPublicKey) : null,
      problem: null,
    };
  } catch (error) {
    station = { problem: (error as Error).message };
  }
  // Values of the settings this app reads; any other MIS_ variable only by name, as it might hold a secret.
  const environment: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('MIS_') || value === undefined) continue;
    environment[name] = !KNOWN_ENVIRONMENT.includes(name) ? '(set)' : name === 'MIS_SERVER_URL' ? (withoutUserInfo(value) ?? '') : value;
  }
  return {
    dataDir,
    stationFile: { file: stationFilePath(dataDir), ...station },
    environment,
    secrets: {
      databaseKey: [secretFile(files.keyFile), secretFile(join(dataDir, 'store.key.sealed'))],
      stationCredential: [secretFile(files.credentialFile), secretFile(join(dataDir, 'station.credential.sealed'))],
    },
  };
}

/** A device's settings as IT set them, without a vendor SDK's option values (licence keys and the like). */
function deviceSetting(setting: DeviceSetting): Record<string, unknown> {
  const { address } = setting;
  const shownAddress = address.transport === 'vendor-sdk' ? { transport: address.transport, sdk: address.sdk, options: Object.keys(address.options) } : address;
  return { id: setting.id, label: setting.label, protocol: setting.protocol, enabled: setting.enabled, address: shownAddress };
}

function devices(dataDir: string, live: LiveStatus | undefined): Record<string, unknown> {
  const file = deviceSettingsFile(dataDir);
  let configured: Record<string, unknown>;
  try {
    configured = { file, present: existsSync(file), devices: loadDeviceSettings(file).devices.map(deviceSetting), problem: null };
  } catch (error) {
    configured = { file, present: existsSync(file), devices: [], problem: (error as Error).message };
  }
  return {
    configured,
    live: live ? live.devices : null,
    note: live ? null : 'The station app is not running here: the states of its devices are known only to it (Help, Write diagnostics bundle, in the app).',
  };
}

async function credential(vault: DiagnosticsOptions['credentialVault'], stationId: string | null): Promise<string> {
  if (!vault) return 'not checked';
  if ('unavailable' in vault) return `not checked: ${vault.unavailable}`;
  const loaded = await loadStationCredential(vault, stationId);
  return 'problem' in loaded ? loaded.problem : 'present, well-formed, issued to this station';
}

function liveSync(status: SyncStatus, namesCheckable: boolean): SyncStatus {
  if (namesCheckable) return status;
  // A server's message may quote what it refused; without the store's names it cannot be checked.
  const withheld = (failure: SyncStatus['failures'][number]) => ({ ...failure, message: WITHHELD });
  return {
    ...status,
    failures: status.failures.map(withheld),
    collections: status.collections.map((collection) => ({ ...collection, lastFailure: collection.lastFailure ? withheld(collection.lastFailure) : null })),
  };
}

function logLineForBundle(line: LogLine, namesCheckable: boolean): LogLine {
  if (namesCheckable) return line;
  if (typeof line === 'string') return WITHHELD;
  return Object.fromEntries(Object.entries(line).map(([field, value]) => [field, STRUCTURAL_LOG_FIELDS.has(field) || typeof value !== 'string' ? value : WITHHELD]));
}

interface OpenedStore {
  db: Database.Database | null;
  key: string | null;
  problem: string | null;
}

async function openStore(databaseFile: string, vault: DiagnosticsOptions['keyVault']): Promise<OpenedStore> {
  if (!existsSync(databaseFile)) return { db: null, key: null, problem: `There is no station database at ${databaseFile}.` };
  if ('unavailable' in vault) return { db: null, key: null, problem: vault.unavailable };
  try {
    const key = await vault.read();
    if (!key) return { db: null, key: null, problem: `The database key is missing (${vault.location}).` };
    return { db: openForDiagnostics(databaseFile, key), key, problem: null };
  } catch (error) {
    return { db: null, key: null, problem: (error as Error).message };
  }
}

async function auditChain(dataDir: string, key: string | null): Promise<Record<string, unknown>> {
  if (!key) return { checked: false, verdicts: [], problem: 'The store could not be read.' };
  try {
    const { verdicts } = await verifyStationAuditTrails(dataDir, key);
    return { checked: true, intact: verdicts.every((verdict) => verdict.ok), verdicts, problem: null };
  } catch (error) {
    return { checked: false, verdicts: [], problem: (error as Error).message };
  }
}

function stringsOf(value: unknown, into: string[]): string[] {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) for (const item of value) stringsOf(item, into);
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      into.push(key);
      stringsOf(item, into);
    }
  }
  return into;
}

function scrubDeep(value: unknown, known: KnownPersonalData | null): unknown {
  if (typeof value === 'string') return scrubText(value, known);
  if (Array.isArray(value)) return value.map((item) => scrubDeep(item, known));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [scrubText(key, known), scrubDeep(item, known)]));
  return value;
}

/**
 * Gathers everything the bundle holds (`unscrubbed`, which never leaves this process) and
 * the bundle as it is written (`bundle`, personal data removed).
 */
export async function collectDiagnostics(options: DiagnosticsOptions): Promise<{ bundle: DiagnosticsBundle; unscrubbed: DiagnosticsBundle }> {
  const { dataDir, live } = options;
  const files = stationStoreFiles(dataDir);
  const holder = stationLockHolder(files.lockFile);
  const storeInUseBy = holder !== null && holder !== process.pid ? holder : null;
  const opened = await openStore(files.databaseFile, options.keyVault);
  const namesCheckable = opened.db !== null;
  try {
    let facts: StoreFacts | null = null;
    let storeProblem = opened.problem;
    if (opened.db) {
      try {
        // A station at work gets SQLite's quick check: the full one holds a read snapshot for long on a large store.
        facts = storeFacts(opened.db, storeInUseBy !== null || live ? 'quick_check' : 'integrity_check');
      } catch (error) {
        storeProblem = (error as Error).message;
      }
    }
    const config = configuration(dataDir);
    const stationFile = config.stationFile as { stationId?: string | null; serverUrl?: string | null };
    const log = readLogTail(stationLogFile(dataDir));
    const server = live
      ? live.station.server
      : options.probeServer && stationFile.serverUrl
        ? { url: stationFile.serverUrl, ...(await probeServer(stationFile.serverUrl, 5_000)) }
        : { url: stationFile.serverUrl ?? null, reachable: null };
    const unscrubbed: DiagnosticsBundle = {
      format: DIAGNOSTICS_FORMAT,
      generatedAt: (options.now?.() ?? new Date()).toISOString(),
      generatedBy: live ? 'app' : 'command',
      personalData: {
        removed: true,
        namesChecked: namesCheckable,
        note: namesCheckable
          ? 'Names, document numbers and dates of birth the station holds were removed from every text, with MRZ lines, dates and document-like numbers.'
          : `The store could not be read (${storeProblem ?? 'unknown'}), so names could not be checked: free text of log lines and sync messages is withheld.`,
      },
      versions: versions(facts),
      configuration: config,
      devices: devices(dataDir, live),
      sync: {
        credential: await credential(options.credentialVault, stationFile.stationId ?? null),
        server,
        pending: facts ? Object.fromEntries(facts.collections.filter((counts) => counts.pending !== null).map((counts) => [counts.collection, counts.pending])) : null,
        live: live ? liveSync(live.sync, namesCheckable) : null,
        note: live ? null : 'The station app is not running here: recent sync failures are in the log (log.recentErrors).',
      },
      store: {
        file: files.databaseFile,
        inUseBy: storeInUseBy,
        readable: facts !== null,
        problem: storeProblem,
        ...(facts ?? {}),
      },
      auditChain: await auditChain(dataDir, opened.key),
      log: {
        files: log.files,
        problem: log.problem,
        recentErrors: log.recentErrors.map((line) => logLineForBundle(line, namesCheckable)),
        tail: log.lines.map((line) => logLineForBundle(line, namesCheckable)),
      },
    };
    let known: KnownPersonalData | null = null;
    if (opened.db) {
      const material = new MaterialWords();
      for (const text of stringsOf(unscrubbed, [])) material.add(text);
      known = new KnownPersonalData(material);
      await lookUpPersonalData(opened.db, known);
    }
    return { bundle: scrubDeep(unscrubbed, known) as DiagnosticsBundle, unscrubbed };
  } finally {
    opened.db?.close();
  }
}

function fileStamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** Collects the bundle and writes it, readable by its owner only, as a new file in `outDir`. */
export async function writeDiagnosticsBundle(options: DiagnosticsOptions): Promise<WrittenBundle> {
  const now = options.now?.() ?? new Date();
  const { bundle } = await collectDiagnostics({ ...options, now: () => now });
  const stationFile = (bundle.configuration as { stationFile: { stationId?: string | null } }).stationFile;
  const station = (stationFile.stationId ?? 'unprovisioned').replace(/[^A-Za-z0-9-]/g, '_');
  mkdirSync(options.outDir, { recursive: true, mode: 0o700 });
  const file = join(options.outDir, `mis-diagnostics-${station}-${fileStamp(now)}.json`);
  const text = `${JSON.stringify(bundle, null, 2)}\n`;
  // 'wx': a bundle never replaces another file.
  writeFileSync(file, text, { flag: 'wx', mode: 0o600 });
  const store = bundle.store as { integrity?: { ok: boolean }; inUseBy: number | null };
  return { file, bytes: Buffer.byteLength(text), integrityOk: store.integrity?.ok ?? null, storeInUseBy: store.inUseBy };
}

/** The vaults the command uses: the headless shell's files; the desktop app's sealed key is out of its reach. */
export function commandVaults(dataDir: string): Pick<DiagnosticsOptions, 'keyVault' | 'credentialVault'> {
  const files = stationStoreFiles(dataDir);
  const sealedByApp = 'it is sealed by the operating system for the MIS Station desktop app; write the bundle from the app (Help, Write diagnostics bundle)';
  const keyVault = existsSync(files.keyFile) || !existsSync(join(dataDir, 'store.key.sealed')) ? fileKeyVault(files.keyFile) : { unavailable: `The database key cannot be read by this command: ${sealedByApp}.` };
  const credentialVault =
    existsSync(files.credentialFile) || !existsSync(join(dataDir, 'station.credential.sealed'))
      ? fileKeyVault(files.credentialFile, stationCredentialFormat)
      : { unavailable: `the station credential ${sealedByApp}` };
  return { keyVault, credentialVault };
}
