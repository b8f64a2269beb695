import { z } from 'zod';
import { roles, type RequiredRole } from '../../domain/identity';
import { deviceSettingsSchema } from '../devices/device-settings-schema';
import {
  amendRegistrationInput,
  cancelRegistrationInput,
  prepareRegistrationInput,
  prepareRegistrationOutput,
  registrationFormInput,
  registrationIdInput,
  registrationRecordSchema,
  registrationViewSchema,
} from '../registrations/registration-schemas';
import { crossingRequests } from '../crossings/crossing-contract';
import { referenceRequests } from '../reference/reference-contract';
import { searchRequests } from '../search/search-contract';
import { shiftRequests } from '../shift/shift-contract';

/**
 * The one API contract between the renderer and main. Every request and every
 * subscription is declared here with zod schemas; the Electron preload, the headless
 * shell's WebSocket and the renderer's client are all typed from this file, and main
 * validates every input against it whatever the transport.
 */

export const serverReachability = z.enum(['not-configured', 'checking', 'reachable', 'unreachable']);

export const appStatusSchema = z.object({
  version: z.string(),
  stationId: z.string().nullable(),
  store: z.object({
    /** The database file, for IT staff. */
    location: z.string(),
    state: z.enum(['opening', 'open', 'unavailable']),
    /** Why the store cannot be used (a wrong key, a damaged file), in words IT staff can act on. */
    problem: z.string().nullable(),
  }),
  server: z.object({
    url: z.string().nullable(),
    reachability: serverReachability,
    /** Server clock time of the last check, ISO 8601; null before the first check. */
    lastCheckedAt: z.string().nullable(),
    /** Why the last check failed, in words an IT officer can act on. */
    problem: z.string().nullable(),
  }),
  officer: z.object({ id: z.string(), name: z.string(), role: z.enum(roles) }).nullable(),
});

export type AppStatus = z.infer<typeof appStatusSchema>;

const syncFailureSchema = z.object({
  collection: z.string(),
  /** The server's error code (RECORD_INVALID, STATION_NOT_AUTHENTICATED…) or NETWORK, TIMEOUT, BAD_RESPONSE. */
  code: z.string(),
  message: z.string(),
  recordId: z.string().nullable(),
  at: z.string(),
});

export const syncStatusSchema = z.object({
  state: z.enum(['not-configured', 'idle', 'syncing', 'failing']),
  /** Why sync cannot run at all (no server address, no credential). */
  problem: z.string().nullable(),
  collections: z.array(
    z.object({
      collection: z.string(),
      direction: z.enum(['push-pull', 'pull']),
      /** Records saved here that the server has not confirmed yet. */
      pending: z.number().int(),
      /** Progress since the app started: documents sent and received. */
      sent: z.number().int(),
      received: z.number().int(),
      lastSuccessAt: z.string().nullable(),
      lastFailure: syncFailureSchema.nullable(),
    }),
  ),
  lastSuccessAt: z.string().nullable(),
  /** Recent failures, newest first. */
  failures: z.array(syncFailureSchema),
  /** Records the server had corrected centrally while the station changed them too (see the conflict log). */
  conflicts: z.number().int(),
});

export type SyncStatusView = z.infer<typeof syncStatusSchema>;

export const conflictLogSchema = z.array(
  z.object({
    number: z.number().int(),
    collection: z.string(),
    recordId: z.string(),
    /** How it was decided: 'server-version-kept'. */
    rule: z.string(),
    detectedAt: z.number(),
    /** The version that stands, and the station's version set aside beside it. */
    kept: z.record(z.string(), z.unknown()),
    setAside: z.record(z.string(), z.unknown()),
  }),
);

/** The login of the window asking: who, in what state, and when an idle screen locks. */
export const sessionSchema = z.object({
  state: z.enum(['signed-out', 'active', 'locked', 'password-change-required']),
  officer: z.object({ id: z.string(), name: z.string(), badgeNumber: z.string(), role: z.enum(roles) }).nullable(),
  idleLockSeconds: z.number().int().positive(),
});

export type SessionView = z.infer<typeof sessionSchema>;

export const deviceViewSchema = z.object({
  id: z.string(),
  label: z.string(),
  protocol: z.string(),
  kind: z.enum(['mrz-reader', 'fingerprint-scanner', 'unknown']),
  transport: z.enum(['serial', 'hid', 'keyboard-wedge', 'simulator', 'vendor-sdk']),
  state: z.enum(['connecting', 'ready', 'busy', 'error', 'closed', 'disabled']),
  /** Why it cannot be used (error), or what it is doing (busy), in words the officer can act on. */
  detail: z.string().nullable(),
  retrying: z.boolean(),
  since: z.string(),
});

export const devicesStatusSchema = z.object({
  devices: z.array(deviceViewSchema),
  /** Why the station's device settings cannot be used at all. */
  problem: z.string().nullable(),
});

export type DevicesStatus = z.infer<typeof devicesStatusSchema>;

/** A document read by a reader: its MRZ text (the renderer parses it with domain/mrz). */
export const deviceReadingSchema = z.object({ deviceId: z.string(), framing: z.string(), text: z.string(), at: z.string() });

export type DeviceReadingView = z.infer<typeof deviceReadingSchema>;

/** What is plugged into this computer, for the admin setting devices up. */
export const deviceDiscoverySchema = z.object({
  serial: z.object({
    ports: z.array(z.object({ path: z.string(), vendorId: z.string().nullable(), productId: z.string().nullable(), manufacturer: z.string().nullable(), byId: z.string().nullable() })),
    problem: z.string().nullable(),
  }),
  hid: z.object({
    devices: z.array(
      z.object({ path: z.string().nullable(), vendorId: z.number(), productId: z.number(), manufacturer: z.string().nullable(), product: z.string().nullable(), usagePage: z.number().nullable() }),
    ),
    problem: z.string().nullable(),
  }),
});

/** One fingerprint as captured: the image as a PNG (base64), its quality, and whether the module made a template. */
export const fingerCaptureSchema = z.object({
  width: z.number().int(),
  height: z.number().int(),
  pngBase64: z.string(),
  quality: z.number().min(0).max(100),
  qualityMethod: z.string(),
  templateFormat: z.string().nullable(),
});

const noInput = z.object({}).strict();
/** Passwords are never trimmed or changed: what the officer typed is what is checked. */
const password = z.string().min(1).max(256);

const loginInput = z.object({ username: z.string().trim().toLowerCase().min(1).max(64), password }).strict();
const unlockInput = z.object({ password }).strict();
const changePasswordInput = z.object({ currentPassword: password, newPassword: password }).strict();

/**
 * What every request and subscription declares besides its schemas: the role it needs
 * (main refuses anyone else before the handler runs, see dispatcher.ts), and whether it
 * may be called while the officer must still change a one-time password.
 */
export interface Guarded {
  role: RequiredRole;
  duringPasswordChange?: true;
}

export const contract = {
  requests: {
    'app.status': { role: 'anyone', input: noInput, output: appStatusSchema },
    /** The login of this window. */
    'auth.session': { role: 'anyone', input: noInput, output: sessionSchema },
    /** Checks the password against the officer's hash on this station: works offline. */
    'auth.login': { role: 'anyone', input: loginInput, output: sessionSchema },
    /** Ends this window's login (also from a locked screen). */
    'auth.logout': { role: 'anyone', input: noInput, output: sessionSchema },
    /** Locks the screen, the officer staying logged in (leaving the counter). */
    'auth.lock': { role: 'officer', input: noInput, output: sessionSchema, duringPasswordChange: true },
    /** The locked officer's password opens the screen again. */
    'auth.unlock': { role: 'anyone', input: unlockInput, output: sessionSchema },
    /** The officer is at work (typing, scanning): the inactivity lock starts counting again. */
    'auth.touch': { role: 'officer', input: noInput, output: sessionSchema, duringPasswordChange: true },
    /** Changes the officer's own password on the central server, then here: needs the server. */
    'auth.changePassword': { role: 'officer', input: changePasswordInput, output: sessionSchema, duringPasswordChange: true },
    /** The station's readers and scanners, each with its state. */
    'devices.status': { role: 'officer', input: noInput, output: devicesStatusSchema },
    /** A keyboard-wedge reader's burst, caught by the renderer: it joins the readings of the other readers. */
    'devices.wedgeReading': { role: 'officer', input: z.object({ text: z.string().min(1).max(300) }).strict(), output: z.object({}).strict() },
    /** Puts a synthetic document on a training reader's glass. */
    'devices.presentTraining': { role: 'officer', input: z.object({ deviceId: z.string().max(40) }).strict(), output: z.object({}).strict() },
    /** Waits for a finger on the scanner (at most timeoutMs) and captures it. */
    'devices.captureFinger': {
      role: 'officer',
      input: z.object({ deviceId: z.string().max(40), timeoutMs: z.number().int().min(1_000).max(60_000) }).strict(),
      output: fingerCaptureSchema,
    },
    /** The serial ports and HID devices this computer sees. */
    'devices.available': { role: 'admin', input: noInput, output: deviceDiscoverySchema },
    /** The station's device settings (devices.json). */
    'devices.settings': { role: 'admin', input: noInput, output: deviceSettingsSchema },
    /** Saves new device settings and reopens the devices; audited. */
    'devices.configure': { role: 'admin', input: deviceSettingsSchema, output: devicesStatusSchema },
    /** Reads a document (MRZ or typed) and shows the person's earlier records here and the watchlist result; saves nothing; audited (person.lookup). */
    'registrations.prepare': { role: 'officer', input: prepareRegistrationInput, output: prepareRegistrationOutput },
    /** Registers a short stay; answers once it is on disk, with its deadline and lateness; audited. */
    'registrations.create': { role: 'officer', input: registrationFormInput, output: registrationViewSchema },
    /** Opens a registration with its history; audited (registration.view). */
    'registrations.get': { role: 'officer', input: registrationIdInput, output: registrationRecordSchema },
    /** Changes a registration made from the revision the officer saw (CONFLICT otherwise); audited with the fields changed. */
    'registrations.amend': { role: 'officer', input: amendRegistrationInput, output: registrationViewSchema },
    /** Cancels a registration, with a reason; CONFLICT when it changed since it was opened; audited. */
    'registrations.cancel': { role: 'officer', input: cancelRegistrationInput, output: registrationViewSchema },
    'sync.status': { role: 'officer', input: noInput, output: syncStatusSchema },
    /** Pushes everything pending and pulls everything new; answers with the status after. */
    'sync.now': { role: 'officer', input: noInput, output: syncStatusSchema },
    /** The station's conflict log, from the server (records changed here and corrected centrally). */
    'sync.conflicts': { role: 'supervisor', input: noInput, output: conflictLogSchema },
    // Each workflow declares its own requests beside its service (main/<workflow>/*-contract.ts).
    ...referenceRequests,
    ...crossingRequests,
    ...searchRequests,
    ...shiftRequests,
  },
  subscriptions: {
    /** Emits the current status at once, then every time it changes. */
    'app.statusChanges': { role: 'anyone', input: noInput, event: appStatusSchema },
    /** This window's login at once, then on every change (logged in, locked, logged out). */
    'auth.sessionChanges': { role: 'anyone', input: noInput, event: sessionSchema },
    /** The devices' states at once, then on every change (plugged, unplugged, error, back). */
    'devices.statusChanges': { role: 'officer', input: noInput, event: devicesStatusSchema },
    /** Every document read by any reader, as it is read. */
    'devices.readings': { role: 'officer', input: noInput, event: deviceReadingSchema },
    /** The sync status at once, then on every change (progress, failures, pending counts). */
    'sync.statusChanges': { role: 'officer', input: noInput, event: syncStatusSchema },
  },
} as const satisfies {
  requests: Record<string, Guarded & { input: z.ZodType; output: z.ZodType }>;
  subscriptions: Record<string, Guarded & { input: z.ZodType; event: z.ZodType }>;
};

export type Contract = typeof contract;

/** What a workflow's own contract module declares: requests, each with its role and schemas. */
export type RequestEntries = Record<string, Guarded & { input: z.ZodType; output: z.ZodType }>;
