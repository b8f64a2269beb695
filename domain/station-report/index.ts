import { z } from 'zod';
import { stationCollections } from '../sync';

/**
 * What a station tells its central server about itself, for the IT staff's overview: its
 * version, how far its sync is, and whether its readers and scanners work. Counts and
 * states only: no record, no name, no document number, no officer, no free text a device
 * or an error could have put personal data in. The schema is strict, so that a station of
 * a later version that sends more is refused rather than stored unseen.
 */
export const stationReportFormat = 'mis-station-report/1';

const isoTime = z.string().datetime({ offset: true });

export const deviceKinds = ['mrz-reader', 'fingerprint-scanner', 'unknown'] as const;
export const deviceStates = ['connecting', 'ready', 'busy', 'error', 'closed', 'disabled'] as const;
export const syncStates = ['not-configured', 'idle', 'syncing', 'failing'] as const;
export const updateStates = ['not-configured', 'idle', 'checking', 'downloading', 'downloaded', 'failed'] as const;

export const stationReportSchema = z
  .object({
    format: z.literal(stationReportFormat),
    /** The installed application version (package.json), e.g. 1.4.0. */
    version: z.string().min(1).max(64),
    /** process.platform and process.arch of the station PC. */
    platform: z.string().min(1).max(16),
    arch: z.string().min(1).max(16),
    /** When the station sent it, by the station's clock (the server keeps its own time of receipt too). */
    sentAt: isoTime,
    sync: z
      .object({
        state: z.enum(syncStates),
        /** The station's last complete sync, by its own clock. */
        lastSuccessAt: isoTime.nullable(),
        /** Records saved on the station that the server has not confirmed, per station collection. */
        pending: z.partialRecord(z.enum(stationCollections), z.number().int().min(0)),
        /** Failures the station keeps (at most 20), and the error code of the newest. */
        failures: z.number().int().min(0),
        lastFailureCode: z.string().max(64).regex(/^[A-Z_]+$/).nullable(),
      })
      .strict(),
    devices: z
      .array(
        z
          .object({
            kind: z.enum(deviceKinds),
            /** The driver's protocol name (e.g. zfm, gt521, serial-mrz): configuration, not personal data. */
            protocol: z.string().max(32),
            state: z.enum(deviceStates),
            retrying: z.boolean(),
          })
          .strict(),
      )
      .max(32),
    update: z
      .object({
        state: z.enum(updateStates),
        /** A newer version the station has found (and is downloading, or has downloaded). */
        availableVersion: z.string().max(64).nullable(),
      })
      .strict(),
    /**
     * The rules the station works by (domain/rules rulesInForce): the code of the rules
     * code list's entry in force, null for the defaults, and whether it could be loaded.
     * Optional: stations of earlier versions do not send it.
     */
    rules: z
      .object({
        entry: z.string().max(32).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/).nullable(),
        loaded: z.boolean(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type StationReport = z.infer<typeof stationReportSchema>;
export type UpdateState = StationReport['update'];
