import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';

/** What a station needs to know about itself. Provisioning writes station.json. */
export interface StationConfig {
  stationId: string | null;
  serverUrl: string | null;
  dataDir: string;
  /** How often the central server's reachability is checked. */
  probeIntervalMs: number;
}

/** Plain http only to this machine itself (a test server, a tunnel): the station credential and personal data must not cross a network in clear. */
function isLoopback(value: string): boolean {
  const host = new URL(value).hostname;
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

const httpUrl = z
  .string()
  .url()
  .refine((value) => /^https?:\/\//.test(value), 'must start with https:// (or http:// to this machine only)')
  .refine((value) => value.startsWith('https://') || isLoopback(value), 'must use https:// unless the server runs on this machine: the station credential and personal data must not cross a network in clear')
  .transform((value) => value.replace(/\/+$/, ''));

const stationFileSchema = z
  .object({
    stationId: z.string().min(1).nullable().optional(),
    serverUrl: httpUrl.nullable().optional(),
    /** The central server's Ed25519 public key (SPKI DER, base64), kept from the provisioning bundle: a later bundle must be signed by it. */
    serverPublicKey: z.string().min(1).optional(),
  })
  .strict();

export class StationConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StationConfigError';
  }
}

export const defaultDataDir = join(homedir(), '.mis-station');

export type StationFile = z.infer<typeof stationFileSchema>;

export function stationFilePath(dataDir: string): string {
  return join(dataDir, 'station.json');
}

/** What station.json says, or {} when there is none. */
export function readStationFile(path: string): StationFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new StationConfigError(`The station configuration ${path} cannot be read: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new StationConfigError(`The station configuration ${path} is not valid JSON. Provision the station again or correct the file.`);
  }
  const parsed = stationFileSchema.safeParse(json);
  if (!parsed.success) {
    const where = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`).join('; ');
    throw new StationConfigError(`The station configuration ${path} is not valid: ${where}`);
  }
  return parsed.data;
}

/**
 * Reads `<dataDir>/station.json`, then lets environment variables override it
 * (MIS_DATA_DIR, MIS_STATION_ID, MIS_SERVER_URL, MIS_PROBE_INTERVAL_MS), which is how
 * tests and IT staff point one client at another server without editing files.
 */
export function loadStationConfig(env: NodeJS.ProcessEnv = process.env, dataDir = env.MIS_DATA_DIR ?? defaultDataDir): StationConfig {
  const file = readStationFile(stationFilePath(dataDir));
  let serverUrl = file.serverUrl ?? null;
  if (env.MIS_SERVER_URL) {
    const parsed = httpUrl.safeParse(env.MIS_SERVER_URL);
    if (!parsed.success) throw new StationConfigError(`MIS_SERVER_URL ${env.MIS_SERVER_URL} ${parsed.error.issues[0]?.message ?? 'is not a server address'}`);
    serverUrl = parsed.data;
  }
  const probeIntervalMs = env.MIS_PROBE_INTERVAL_MS ? Number(env.MIS_PROBE_INTERVAL_MS) : 15_000;
  if (!Number.isInteger(probeIntervalMs) || probeIntervalMs < 100) {
    throw new StationConfigError(`MIS_PROBE_INTERVAL_MS must be a whole number of milliseconds, at least 100: ${env.MIS_PROBE_INTERVAL_MS}`);
  }
  return { stationId: env.MIS_STATION_ID ?? file.stationId ?? null, serverUrl, dataDir, probeIntervalMs };
}

/**
 * Writes `<dataDir>/station.json` whole (provisioning does): to a new file first, then
 * renamed over the old one, so that a power cut leaves the old file or the new, never half.
 */
export function writeStationFile(dataDir: string, contents: StationFile): void {
  const parsed = stationFileSchema.safeParse(contents);
  if (!parsed.success) throw new StationConfigError(`The station configuration is not valid: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = stationFilePath(dataDir);
  const partial = `${path}.partial`;
  const descriptor = openSync(partial, 'w', 0o600);
  try {
    writeSync(descriptor, `${JSON.stringify(parsed.data, null, 2)}\n`);
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
  renameSync(partial, path);
}
