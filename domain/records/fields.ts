import type { JsonSchema } from 'rxdb';
import { z } from 'zod';
import { UUID_V7_PATTERN } from '../ids';

/**
 * The field types records are built from, each as a pair: the JSON Schema RxDB stores
 * and validates on the station, and the zod schema the sync server checks pushed
 * records with. Keeping the two side by side, one pair per field type, is what keeps
 * them saying the same thing (records.test.ts checks it on generated documents).
 *
 * Conventions:
 * - Instants (something happened at a moment) are ms since the epoch, integers.
 *   Calendar dates (birth, expiry, planned departure, validity) are ISO date strings.
 * - An indexed field is always present (RxDB indexes cannot hold a missing value):
 *   '' or 0 stand for "none" there. Other optional fields are simply absent.
 * - Every string has a maxLength, and indexed ones a tight one: RxDB pads indexed
 *   strings to their maxLength in its index keys.
 */
interface Field<Validator extends z.ZodType> {
  json: JsonSchema;
  zod: Validator;
}

/** A string that matches a regular expression (read with the u flag, as ajv reads it). */
export function patterned(pattern: string, maxLength: number): Field<z.ZodString> {
  return { json: { type: 'string', maxLength, pattern }, zod: z.string().max(maxLength).regex(new RegExp(pattern, 'u')) };
}

/** An id made on a station (domain/ids); the primary key of every station-made record. */
export const recordId = patterned(UUID_V7_PATTERN, 36);

/** The station-made record this one points at, '' for none (an indexed field cannot be absent). */
export const recordIdOrNone = patterned(`^(?:${UUID_V7_PATTERN.slice(1, -1)})?$`, 36);

/** Ids given centrally: stations, officers, crossing points, reference data. */
export const referenceId = patterned('^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$', 64);

/** The id of any record, whatever made it (a station's UUIDv7, a code list's list|code); '' for none. */
export const anyRecordIdOrNone = patterned('^[A-Za-z0-9._:|-]{0,80}$', 80);

/** An entry of a code list (refusal reasons, purposes, document types ...). No '|': it joins list and code in a key. */
export const code = patterned('^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$', 32);

/** ICAO 9303 state or nationality code as read, without fillers: 'BIH', 'D', 'XXA'. */
export const countryCode = patterned('^[A-Z]{1,3}$', 3);
export const countryCodeOrNone = patterned('^(?:[A-Z]{1,3})?$', 3);

/** ICAO document code without fillers: 'P', 'PO', 'I', 'ID', 'AC', 'V'. */
export const documentCode = patterned('^[A-Z][A-Z0-9]?$', 2);

/**
 * Upper-case letters and digits only (name-key.ts: documentNumberKey), so that a number
 * typed with spaces or dashes finds the same record as the one the reader read. 24
 * holds a TD1 number continued into the optional data.
 */
export const documentNumber = patterned('^[A-Z0-9]{1,24}$', 24);
export const documentNumberOrNone = patterned('^[A-Z0-9]{0,24}$', 24);

// Months have their own last days; 29 February is let through for every year, as a
// pattern cannot tell leap years.
const FULL_DATE = '\\d{4}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1\\d|2\\d)|(?:0[13-9]|1[0-2])-30|(?:0[13578]|1[02])-31)';

/** A calendar day, 'YYYY-MM-DD'. */
export const isoDate = patterned(`^${FULL_DATE}$`, 10);

/**
 * A date of birth as far as it is known: 'YYYY-MM-DD', 'YYYY-MM', 'YYYY', or '' when
 * unknown (documents of refugees and stateless persons may carry none). Apart from '',
 * the form domain/time's parsePartialDate reads. It sorts by date, and a year or a
 * month is a prefix range, so one index answers both exact and partial searches.
 */
export const partialDate = patterned(`^(?:${FULL_DATE}|\\d{4}(?:-(?:0[1-9]|1[0-2]))?)?$`, 10);

/** Latest instant any record may carry: 2100-01-01T00:00:00Z. Bounded because RxDB indexes need a range. */
const MAX_EPOCH_MS = 4_102_444_800_000;

/** An instant, ms since the epoch. */
export const epochMs: Field<z.ZodNumber> = {
  json: { type: 'integer', minimum: 0, maximum: MAX_EPOCH_MS, multipleOf: 1 },
  zod: z.int().min(0).max(MAX_EPOCH_MS),
};

/** An integer within bounds (RxDB needs them to index it). */
export function wholeNumber(minimum: number, maximum: number): Field<z.ZodNumber> {
  return { json: { type: 'integer', minimum, maximum, multipleOf: 1 }, zod: z.int().min(minimum).max(maximum) };
}

const NO_CONTROL_CHARACTERS = '^[^\\u0000-\\u001F\\u007F]*$';

/**
 * Text as typed, with diacritics and in either script. Lengths count characters (code
 * points), as JSON Schema does; zod's own max counts UTF-16 units, which would refuse a
 * name with a character outside the Basic Multilingual Plane that RxDB accepted.
 */
export function text(maxLength: number, minLength = 0): Field<z.ZodString> {
  const json: JsonSchema = { type: 'string', maxLength, pattern: NO_CONTROL_CHARACTERS };
  if (minLength > 0) json.minLength = minLength;
  const zod = z
    .string()
    .regex(new RegExp(NO_CONTROL_CHARACTERS, 'u'))
    .refine((value) => {
      const length = [...value].length;
      return length >= minLength && length <= maxLength;
    }, `between ${minLength} and ${maxLength} characters`);
  return { json, zod };
}

/** One of a fixed set of values. */
export function oneOf<const Values extends readonly [string, ...string[]]>(values: Values): Field<z.ZodEnum<{ [V in Values[number]]: V }>> {
  const maxLength = Math.max(...values.map((value) => value.length));
  return { json: { type: 'string', enum: [...values], maxLength }, zod: z.enum(values) };
}

/** Standard base64 with its padding, as binary data travels in JSON. */
export function base64(maxLength: number): Field<z.ZodString> {
  return patterned('^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$', maxLength);
}

export const sha256Hex = patterned('^[0-9a-f]{64}$', 64);

/** A field RxDB refuses to change once the document is stored: what immutable records are made of. */
export function final<Schema extends JsonSchema>(schema: Schema): Schema & { final: true } {
  return { ...schema, final: true };
}

/**
 * What every record made on a station carries. receivedAt is the server's clock when it
 * received the record's current revision, 0 while that revision is only on the
 * station: the "not yet synced" index. Station clocks can be wrong; the server never
 * orders by createdAt.
 */
export const stationRecordProperties = {
  id: final(recordId.json),
  stationId: final(referenceId.json),
  officerId: final(referenceId.json),
  createdAt: final(epochMs.json),
  receivedAt: epochMs.json,
} as const satisfies Record<string, JsonSchema>;

export const STATION_RECORD_REQUIRED = ['id', 'stationId', 'officerId', 'createdAt', 'receivedAt'] as const;

export const stationRecordShape = {
  id: recordId.zod,
  stationId: referenceId.zod,
  officerId: referenceId.zod,
  createdAt: epochMs.zod,
  receivedAt: epochMs.zod,
};
