import type { JsonSchema, RxJsonSchema } from 'rxdb';
import { z } from 'zod';
import {
  STATION_RECORD_REQUIRED,
  base64,
  final,
  oneOf,
  patterned,
  recordId,
  stationRecordProperties,
  stationRecordShape,
  wholeNumber,
} from './fields';

/**
 * One fingerprint capture, or the reason there is none, for a crossing or a
 * registration. Biometrics are a special category of personal data: immutable (every
 * field but receivedAt is final), and the finger image, when kept, is an attachment
 * (named 'image') so that lists of captures never load it.
 */

const captured = oneOf(['captured']);
const exempt = oneOf(['exempt']);
/** ISO/IEC 19794-2 and ANSI/NIST finger positions: 1 right thumb ... 5 right little, 6 left thumb ... 10 left little. */
const fingerPosition = wholeNumber(1, 10);
/** 'ISO-19794-2', 'ANSI-378', or a scanner's own format ('ZFM', 'GT-521F'), as the driver names it. */
const templateFormat = patterned('^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$', 40);
/** Up to 12 KiB of template: ISO and ANSI minutiae templates and the modules' own fit well within. */
const template = base64(16_384);
const quality = wholeNumber(0, 100);
/**
 * UNDER_AGE: younger than the rules' fingerprints.exemptUnderAge (12 under EES), which
 * exempts the whole person; the others concern one finger or the moment.
 */
const exemptionReason = oneOf(['UNDER_AGE', 'FINGER_MISSING', 'FINGER_INJURED', 'PHYSICALLY_IMPOSSIBLE', 'SCANNER_UNAVAILABLE']);

const captureJsonSchema = {
  type: 'object',
  oneOf: [
    {
      type: 'object',
      additionalProperties: false,
      properties: {
        outcome: captured.json,
        fingerPosition: fingerPosition.json,
        templateFormat: templateFormat.json,
        template: template.json,
        quality: quality.json,
      },
      required: ['outcome', 'fingerPosition', 'templateFormat', 'template', 'quality'],
    },
    {
      type: 'object',
      additionalProperties: false,
      properties: { outcome: exempt.json, fingerPosition: fingerPosition.json, reason: exemptionReason.json },
      required: ['outcome', 'reason'],
    },
  ],
} as const satisfies JsonSchema;

const captureValidator = z.discriminatedUnion('outcome', [
  z.strictObject({
    outcome: captured.zod,
    fingerPosition: fingerPosition.zod,
    templateFormat: templateFormat.zod,
    template: template.zod,
    /** 0-100, as the scanner reports it (NFIQ 2 scale for ISO scanners). */
    quality: quality.zod,
  }),
  z.strictObject({
    outcome: exempt.zod,
    /** Absent when the exemption concerns the person, not one finger. */
    fingerPosition: fingerPosition.zod.optional(),
    reason: exemptionReason.zod,
  }),
]);

const recordType = oneOf(['crossing', 'registration']);

export const biometricValidator = z.strictObject({
  ...stationRecordShape,
  /** The record the capture belongs to. */
  recordType: recordType.zod,
  recordId: recordId.zod,
  capture: captureValidator,
});

export type Biometric = z.infer<typeof biometricValidator>;

export const biometricSchema: RxJsonSchema<Biometric> = {
  title: 'biometrics',
  description: 'Fingerprint captures and exemptions for crossings and registrations; immutable, image as attachment',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    ...stationRecordProperties,
    recordType: final(recordType.json),
    recordId: final(recordId.json),
    capture: final(captureJsonSchema),
  },
  required: [...STATION_RECORD_REQUIRED, 'recordType', 'recordId', 'capture'],
  indexes: ['recordId', 'createdAt', 'receivedAt'],
  attachments: {},
};
