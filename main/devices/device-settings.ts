import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deviceSettingsSchema, type DeviceSettings } from './device-settings-schema';

/**
 * Which readers and scanners a station has and how each is reached: `devices.json` in the
 * station's data folder, written by IT staff (by hand, by provisioning, or from the
 * admin's device screen). Per station, since every desk has its own mix.
 */

export { type DeviceSetting, type DeviceSettings, deviceSettingSchema, deviceSettingsSchema } from './device-settings-schema';

export class DeviceSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeviceSettingsError';
  }
}

export const deviceSettingsFile = (dataDir: string): string => join(dataDir, 'devices.json');

/** The station's devices; none when the file does not exist yet. */
export function loadDeviceSettings(file: string): DeviceSettings {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { devices: [] };
    throw new DeviceSettingsError(`The device settings ${file} cannot be read: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new DeviceSettingsError(`The device settings ${file} are not valid JSON.`);
  }
  const parsed = deviceSettingsSchema.safeParse(json);
  if (!parsed.success) {
    const where = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`).join('; ');
    throw new DeviceSettingsError(`The device settings ${file} are not valid: ${where}`);
  }
  return parsed.data;
}

/** Writes the settings whole or not at all: a crash mid-write leaves the old file. */
export function saveDeviceSettings(file: string, settings: DeviceSettings): void {
  const temporary = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, file);
}
