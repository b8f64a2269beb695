import { z } from 'zod';
import { registrationValidator } from '../../domain/records';
import { personValidator, travelDocumentValidator } from '../../domain/records/person';

/**
 * The counter registration workflow's inputs and outputs, as the API contract declares
 * them. Built from the records' own validators, so that the form and the stored record
 * cannot disagree on a field. Imported by contract.ts, which the renderer reads for its
 * types: zod and domain/ only, nothing of Node.
 */

const registrationFields = registrationValidator.shape;

/** A person as typed or read: the search key (nameKey) is derived by main, never sent. */
export const personDetailsInput = personValidator.omit({ nameKey: true });

/**
 * A document as typed at the counter: the number may carry spaces, dashes or lower case
 * ('ab 123-456'); main stores and searches it canonical (documentNumberKey), and the
 * stored record's own rule then checks it.
 */
export const typedDocumentInput = travelDocumentValidator.extend({ documentNumber: z.string().trim().min(1).max(40) });

/** What the officer fills in at the counter; main adds ids, authorship and search keys. */
export const registrationFormInput = z.strictObject({
  person: personDetailsInput,
  document: typedDocumentInput,
  address: registrationFields.address,
  /** A commercial provider (hotel, hostel) or a private host person. */
  accommodation: registrationFields.accommodation,
  arrivalAt: registrationFields.arrivalAt,
  plannedDepartureDate: registrationFields.plannedDepartureDate,
  purposeCode: registrationFields.purposeCode,
});

export const prepareRegistrationInput = z.union([
  /** The zone as a reader or the keyboard gave it. */
  z.strictObject({ mrz: z.string().min(1).max(300) }),
  /** A document typed by the officer (no readable zone). */
  z.strictObject({ person: personDetailsInput, document: typedDocumentInput }),
]);

export const registrationIdInput = z.strictObject({ id: z.string().min(1).max(64) });

export const amendRegistrationInput = z.strictObject({
  id: z.string().min(1).max(64),
  /** The revision the officer's form was filled from: an edit of an older one is a conflict. */
  expectedRevisionNumber: z.number().int().min(1),
  changes: registrationFormInput.partial().refine((changes) => Object.keys(changes).length > 0, { message: 'Change at least one field' }),
});

export const cancelRegistrationInput = z.strictObject({
  id: z.string().min(1).max(64),
  expectedRevisionNumber: z.number().int().min(1),
  reason: z.string().trim().min(1).max(500),
});

/** Deadline and lateness under the Law on Foreigners, Art. 103 (domain/stay registrationDeadline). */
export const registrationDeadlineSchema = z.object({
  required: z.boolean(),
  responsible: z.enum(['accommodation-provider', 'foreigner-or-host']),
  dueAt: z.string().nullable(),
  status: z.enum(['not-required', 'pending', 'overdue', 'registered-on-time', 'registered-late']),
  minutesLate: z.number().int().min(0),
  explanation: z.string(),
});

export const registrationViewSchema = z.object({
  registration: registrationValidator,
  deadline: registrationDeadlineSchema,
});

/**
 * Registrations are edited in place (domain/records/registrations.ts): earlier revisions
 * are not kept on the station, so the history is who made it and who changed it last.
 */
export const registrationRecordSchema = registrationViewSchema.extend({
  history: z.object({
    createdAt: z.number(),
    createdBy: z.string(),
    revisionNumber: z.number().int(),
    lastChangedAt: z.number(),
    lastChangedBy: z.string(),
  }),
});

const mrzReadingSchema = z.object({
  format: z.enum(['TD1', 'TD2', 'TD3', 'MRV-A', 'MRV-B']),
  /** Every check digit and field check passed, after the corrections. */
  valid: z.boolean(),
  /** Misreads the engine corrected, to show the officer (compare them with the page). */
  corrections: z.array(
    z.object({ field: z.string(), line: z.number().int(), position: z.number().int(), from: z.string(), to: z.string(), confirmedByComposite: z.boolean() }),
  ),
  warnings: z.array(z.object({ code: z.string(), field: z.string().optional(), message: z.string() })),
});

export const prepareRegistrationOutput = z.object({
  /** The reading of the zone; null for a typed document. */
  mrz: mrzReadingSchema.nullable(),
  /** What the form starts from; birthDate and expiryDate are null when the zone's could not be used. */
  person: z.object({ surname: z.string(), givenNames: z.string(), sex: z.enum(['F', 'M', 'X']), birthDate: z.string().nullable(), nationality: z.string() }),
  document: z.object({ documentCode: z.string(), documentNumber: z.string(), issuingState: z.string(), expiryDate: z.string().nullable() }),
  /** The person's earlier records at this station: by document (number and issuing state) and by name key and birth date. */
  earlier: z.object({
    /**
     * Summaries, not whole records: a record stored here that its rules no longer accept
     * (one the server refused) must not hide the others. registrations.get opens one.
     */
    registrations: z.array(
      z.object({
        id: z.string(),
        status: z.string(),
        revisionNumber: z.number(),
        arrivalAt: z.number(),
        plannedDepartureDate: z.string(),
        registeredAt: z.number(),
        accommodationType: z.string(),
        municipality: z.string(),
        purposeCode: z.string(),
      }),
    ),
    crossings: z.array(z.object({ id: z.string(), direction: z.enum(['entry', 'exit']), outcome: z.string(), occurredAt: z.number(), crossingPointId: z.string() })),
  }),
  /** Alerts of the local watchlist that may be about this person or document, best first. */
  watchlist: z.array(
    z.object({
      alertId: z.string(),
      kind: z.string(),
      score: z.number(),
      /** At or above the rules' hit threshold; below it, a possible match to compare. */
      hit: z.boolean(),
      reasons: z.array(z.object({ code: z.string(), text: z.string() })),
    }),
  ),
});

export type PrepareRegistrationInput = z.output<typeof prepareRegistrationInput>;
export type PrepareRegistrationOutput = z.output<typeof prepareRegistrationOutput>;
export type RegistrationForm = z.output<typeof registrationFormInput>;
export type RegistrationView = z.output<typeof registrationViewSchema>;
export type RegistrationRecordView = z.output<typeof registrationRecordSchema>;
