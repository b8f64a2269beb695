import type { Logger } from 'pino';
import { PasswordHashError, passwordProblems, verifyPassword } from '../domain/identity';
import { createDispatcher, type ApiDispatcher } from './api/dispatcher';
import { ApiError } from './api/errors';
import type { DevicesStatus } from './api/contract';
import { createHandlers } from './api/handlers';
import { AuditTrail, type AuditEvent } from './audit/audit-trail';
import { AuthService, type AuthSettings, type PasswordChecker } from './auth/auth-service';
import { scryptDerive } from './auth/scrypt';
import { RegistrationService } from './registrations/registration-service';
import { CrossingService } from './crossings/crossing-service';
import { ShiftService } from './shift/shift-service';
import { ReferenceService } from './reference/reference-service';
import { StationRules } from './reference/station-rules';
import { RetentionService } from './retention/retention-service';
import { SearchService } from './search/search-service';
import { DriverRegistry, builtInDrivers } from '../devices';
import { trainingReaderFactory } from '../devices/simulators/training-reader';
import { DeviceManager } from './devices/device-manager';
import { deviceSettingsFile } from './devices/device-settings';
import { StationStatusService } from './services/station-status';
import type { StationConfig } from './services/station-config';
import { openStationStore, type StationStore } from './services/station-store';
import type { KeyVault } from './store/database-key';
import { stationStoreFiles } from './store/station-files';
import { loadStationCredential } from './sync/station-credential';
import { SyncRequestError } from './sync/sync-client';
import { SyncController } from './sync/sync-controller';
import { SyncService, type SyncSettings } from './sync/sync-service';
import { StationReporter, UpdateStatus } from './updates/station-reporter';
import { appVersion } from './version';

/** The main process's services, in plain Node. Both transports run on top of these. */
export interface MainServices {
  config: StationConfig;
  log: Logger;
  status: StationStatusService;
  sync: SyncController;
  auth: AuthService;
  devices: { manager: DeviceManager; view(): DevicesStatus };
  /** The counter registration workflow (registrations.* requests). */
  registrations: RegistrationService;
  /** Border control: checks, fingerprints, entries, exits and refusals (crossings.* requests). */
  crossings: CrossingService;
  /** The supervisor's shift view: the shift's numbers, what is unsent and why (shift.* requests). */
  shift: ShiftService;
  /** Reference data pulled from the server: this station's details, code lists (reference.* requests). */
  reference: ReferenceService;
  /** The rules the station works by: the defaults with the overrides its rules code list holds for today. */
  rules: StationRules;
  /** Search over registrations and crossings (search.* requests). */
  search: SearchService;
  /** What the updater is doing (set by the Electron part), for the station's reports to its server. */
  updates: UpdateStatus;
  /** The open station store, or null while it opens or when it cannot be used (see status). */
  store(): StationStore | null;
  /** Appends to the audit trail; throws STORE_UNAVAILABLE when there is none, so that nothing untraced happens. */
  audited(officerId: string, action: string, details?: Record<string, string>, record?: Pick<AuditEvent, 'recordType' | 'recordId'>): Promise<void>;
}

export interface MainProcess {
  services: MainServices;
  dispatcher: ApiDispatcher;
  /** Starts the background work: opening the store, checking the server. */
  start(): void;
  stop(): Promise<void>;
}

export interface MainOptions {
  /** Where the database key is kept; without one the store is not opened (API-only tests). */
  keyVault?: KeyVault;
  /** The bundled store worker, in the Electron build. */
  storeWorkerFile?: string;
  /** Where the station's credential for the sync server is kept; without one, sync does not run. */
  credentialVault?: KeyVault;
  /** Login strictness (lock-out, inactivity); the defaults otherwise. */
  auth?: AuthSettings;
  /** The clock logins, lock-outs and the inactivity lock go by (tests move it). */
  now?: () => number;
}

/** Passwords are checked against the scrypt hashes the server made; a hash this station may not see never matches. */
const passwordChecker: PasswordChecker = {
  async verify(storedHash, password) {
    try {
      return await verifyPassword(storedHash, password, scryptDerive);
    } catch (error) {
      if (error instanceof PasswordHashError) return false;
      throw error;
    }
  },
  problems: passwordProblems,
};

/** A password change that the server refused or could not take, in the API's words. */
function passwordChangeError(error: unknown): unknown {
  if (!(error instanceof SyncRequestError)) return error;
  if (error.code === 'PASSWORD_WRONG') return new ApiError('PASSWORD_WRONG', 'The current password is wrong.');
  if (error.code === 'PASSWORD_WEAK') return new ApiError('PASSWORD_WEAK', error.message);
  if (error.code === 'PASSWORD_ATTEMPTS') return new ApiError('ACCOUNT_LOCKED', error.message);
  return new ApiError('SERVER_UNAVAILABLE', `Changing a password needs the central server, which cannot take it now (${error.message}). Your current password stays valid.`);
}

/** What sync needs from the configuration and the credential, or why it cannot run. */
async function syncSettings(config: StationConfig, credentialVault: KeyVault | undefined): Promise<SyncSettings | { problem: string }> {
  if (!config.serverUrl) return { problem: 'No sync server is configured for this station (serverUrl in station.json).' };
  if (!config.stationId) return { problem: 'This station has no station id yet (stationId in station.json).' };
  if (!credentialVault) return { problem: 'No place for the station credential is configured.' };
  const credential = await loadStationCredential(credentialVault, config.stationId);
  if ('problem' in credential) return credential;
  return { serverUrl: config.serverUrl, stationId: config.stationId, token: credential.token };
}

/** The one place where main's services are built and wired together. */
export function composeMain(config: StationConfig, log: Logger, options: MainOptions = {}): MainProcess {
  const files = stationStoreFiles(config.dataDir);
  const status = new StationStatusService(config, appVersion, files.databaseFile, log.child({ service: 'status' }));
  let store: StationStore | null = null;
  let auditTrail: AuditTrail | null = null;
  let retention: RetentionService | null = null;
  let reporter: StationReporter | null = null;
  const updates = new UpdateStatus();
  let opening: Promise<void> | undefined;
  const sync = new SyncController();
  const auth = new AuthService({
    stationId: config.stationId,
    database: () => store?.database ?? null,
    audit: () => auditTrail,
    passwords: passwordChecker,
    async changePasswordOnServer(officerId, currentPassword, newPassword) {
      try {
        await sync.changePassword(officerId, currentPassword, newPassword);
      } catch (error) {
        throw passwordChangeError(error);
      }
    },
    log: log.child({ service: 'auth' }),
    ...(options.auth ? { settings: options.auth } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const deviceManager = new DeviceManager(deviceSettingsFile(config.dataDir), new DriverRegistry([...builtInDrivers, trainingReaderFactory]), log.child({ service: 'devices' }));
  const audited: MainServices['audited'] = async (officerId, action, details = {}, record = {}) => {
    if (!auditTrail) throw new ApiError('STORE_UNAVAILABLE', 'The audit trail cannot be written now (the store is not open, or the station has no id), so this cannot be done.');
    await auditTrail.record({ officerId, action, details, ...record });
  };
  const rules = new StationRules(log.child({ service: 'rules' }), options.now);
  const currentRules = () => rules.current();
  const services: MainServices = {
    config,
    log,
    status,
    sync,
    auth,
    devices: { manager: deviceManager, view: () => ({ devices: deviceManager.status(), problem: deviceManager.problem }) },
    registrations: new RegistrationService({ store: () => store, stationId: config.stationId, audited, rules: currentRules, ...(options.now ? { now: options.now } : {}) }),
    shift: new ShiftService({ store: () => store, syncStatus: () => sync.status(), ...(options.now ? { now: options.now } : {}) }),
    crossings: new CrossingService({ store: () => store, stationId: config.stationId, audited, rules: currentRules, scanner: (deviceId) => deviceManager.scanner(deviceId), ...(options.now ? { now: options.now } : {}) }),
    search: new SearchService({ store: () => store, audited, ...(options.now ? { now: options.now } : {}) }),
    reference: new ReferenceService({ store: () => store, stationId: config.stationId, ...(options.now ? { now: options.now } : {}) }),
    rules,
    updates,
    store: () => store,
    audited,
  };
  // A server that comes back is synced with at once, not at the next retry.
  status.onChange((current) => {
    if (current.server.reachability === 'reachable') sync.reconnected();
  });
  const dispatcher = createDispatcher(createHandlers(services), log.child({ service: 'api' }), auth);
  return {
    services,
    dispatcher,
    start() {
      status.start();
      deviceManager.start().catch((error: unknown) => log.error({ errorName: (error as Error).name }, 'the devices could not be started'));
      if (!options.keyVault || opening) return;
      opening = openStationStore(config.dataDir, options.keyVault, options.storeWorkerFile).then(
        async (opened) => {
          await rules.follow(opened.database);
          store = opened;
          if (config.stationId) auditTrail = new AuditTrail(opened.database.audit, config.stationId);
          status.setStore('open');
          const settings = await syncSettings(config, options.credentialVault);
          const service = new SyncService(opened.database, settings, log.child({ service: 'sync' }));
          sync.attach(service);
          service.start();
          // Version, pending counts and device states for the server's station overview (main/updates/).
          if (!('problem' in settings)) {
            reporter = new StationReporter({
              serverUrl: settings.serverUrl,
              token: settings.token,
              version: appVersion,
              syncStatus: () => sync.status(),
              onSyncChange: (listener) => sync.onChange(listener),
              devices: () => deviceManager.status(),
              update: () => updates.current(),
              rules: () => rules.inForce(),
              log: log.child({ service: 'station-report' }),
            });
            reporter.start();
          }
          // Records past their retention period go now and every day (never before the server has them).
          retention = new RetentionService({ database: opened.database, audit: () => auditTrail, rules: currentRules, log: log.child({ service: 'retention' }) });
          retention.start();
        },
        (error: unknown) => {
          log.error({ code: (error as { code?: string }).code, errorName: (error as Error).name }, 'the station store could not be opened');
          status.setStore('unavailable', (error as Error).message);
          sync.unavailable('Sync cannot run: the station store could not be opened.');
        },
      );
    },
    async stop() {
      await opening;
      await auth.closeAll();
      await deviceManager.stop();
      await retention?.stop();
      rules.stop();
      await reporter?.stop();
      await sync.stop();
      await store?.close();
      store = null;
      await status.stop();
    },
  };
}
