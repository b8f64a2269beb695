import type { RxJsonSchema } from 'rxdb';
import { z } from 'zod';
import { code, epochMs, isoDate, patterned, text } from './fields';

/**
 * Code lists, one document per entry: countries, document types, refusal reasons,
 * visa regimes, purposes of stay ... Reference data, pulled from the server.
 *
 * The id is list and code joined by '|' (RxDB's composite primary key), so an entry
 * is found by id without a query, and a list is a range of ids.
 */

/** 'countries', 'documentTypes', 'refusalReasons', 'visaRegimes', 'purposes' ... */
const list = patterned('^[a-z][a-zA-Z0-9]{0,31}$', 32);
const SEPARATOR = '|';
const id = patterned(`^[a-z][a-zA-Z0-9]{0,31}\\${SEPARATOR}[A-Za-z0-9][A-Za-z0-9._-]{0,31}$`, 65);
const label = text(200, 1);

/**
 * The UI's languages. Field names cannot hold '-' in RxDB, so sr-Latn and sr-Cyrl are
 * srLatn and srCyrl. English is always there; the UI falls back to it.
 */
const labelsValidator = z.strictObject({
  en: label.zod,
  bs: label.zod.optional(),
  hr: label.zod.optional(),
  srLatn: label.zod.optional(),
  srCyrl: label.zod.optional(),
});

/** The id of a code list's entry: `${list}|${code}`. */
export function codeListEntryId(listName: string, entryCode: string): string {
  return listName + SEPARATOR + entryCode;
}

/** The code list of purposes of stay, which a registration's purposeCode names. */
export const PURPOSES_LIST = 'purposes';

/** Whether an entry is in force on a calendar day (validFrom and validUntil are inclusive; either may be absent). */
export function inForceOn(entry: { validFrom?: string | undefined; validUntil?: string | undefined }, day: string): boolean {
  return (!entry.validFrom || entry.validFrom <= day) && (!entry.validUntil || entry.validUntil >= day);
}

/**
 * RxDB makes the id from list and code itself and refuses a document whose id says
 * otherwise; the refinement makes the server just as strict.
 */
export const codeListEntryValidator = z
  .strictObject({
  id: id.zod,
  list: list.zod,
  code: code.zod,
  labels: labelsValidator,
  /** Whatever else the list carries per entry (a country's visa regime, a reason's legal basis). */
  extra: z.record(z.string(), z.json()).optional(),
  validFrom: isoDate.zod.optional(),
  validUntil: isoDate.zod.optional(),
  /** Server clock. */
  updatedAt: epochMs.zod,
  })
  .refine((entry) => entry.id === codeListEntryId(entry.list, entry.code), { message: 'id is list|code', path: ['id'] });

export type CodeListEntry = z.infer<typeof codeListEntryValidator>;

export const codeListEntrySchema: RxJsonSchema<CodeListEntry> = {
  title: 'codeLists',
  description: 'Code list entries (countries, document types, refusal reasons, visa regimes, purposes); reference data',
  version: 0,
  primaryKey: { key: 'id', fields: ['list', 'code'], separator: SEPARATOR },
  type: 'object',
  additionalProperties: false,
  properties: {
    id: id.json,
    list: list.json,
    code: code.json,
    labels: {
      type: 'object',
      additionalProperties: false,
      properties: { en: label.json, bs: label.json, hr: label.json, srLatn: label.json, srCyrl: label.json },
      required: ['en'],
    },
    extra: { type: 'object' },
    validFrom: isoDate.json,
    validUntil: isoDate.json,
    updatedAt: epochMs.json,
  },
  required: ['id', 'list', 'code', 'labels', 'updatedAt'],
  indexes: ['list'],
};
