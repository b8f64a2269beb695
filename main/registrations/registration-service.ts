import type { MangoQuerySelector, RxCollection } from 'rxdb';
import type { Crossing, Registration } from '../../domain/records';
import {
  PURPOSES_LIST,
  RecordError,
  amendRegistration,
  cancelRegistration,
  codeListEntryId,
  documentNumberKey,
  inForceOn,
  newRegistration,
  personNameKey,
  registrationValidator,
} from '../../domain/records';
import { parseMrz, type MrzDocument } from '../../domain/mrz';
import { defaultRules, type Rules } from '../../domain/rules';
import { registrationDeadline, type RegistrationDeadline } from '../../domain/stay';
import { calendarDayOf, daysBetween, isoInstant } from '../../domain/time';
import type { TravellerQuery } from '../../domain/watchlist';
import { ApiError } from '../api/errors';
import type { StationStore } from '../services/station-store';
import { StationWatchlist } from '../watchlist/station-watchlist';
import type {
  PrepareRegistrationInput,
  PrepareRegistrationOutput,
  RegistrationForm,
  RegistrationRecordView,
  RegistrationView,
} from './registration-schemas';

/** Appends to the audit trail (compose.ts); never given personal data. */
export type RegistrationAudit = (
  officerId: string,
  action: string,
  details: Record<string, string>,
  record?: { recordType: 'registration'; recordId: string },
) => Promise<void>;

export interface RegistrationServiceOptions {
  store: () => StationStore | null;
  stationId: string | null;
  audited: RegistrationAudit;
  /** The station clock (tests move it). */
  now?: () => number;
  /** The rules in force (the station's, from its rules code list); the defaults otherwise. */
  rules?: () => Rules;
}

type PreparedPerson = PrepareRegistrationOutput['person'];
type PreparedDocument = PrepareRegistrationOutput['document'];

/** A record's problems as the API's field issues, so that the form can mark the field. */
function invalid(message: string, issues: { path: string; message: string }[]): ApiError {
  return new ApiError('INVALID_INPUT', message, issues);
}

function fromMrz(document: MrzDocument): { person: PreparedPerson; document: PreparedDocument } {
  const { fields } = document;
  return {
    person: {
      surname: fields.surname,
      givenNames: fields.givenNames,
      // The MRZ's '<' (unspecified) is X on the page and in our records.
      sex: fields.sex === 'M' || fields.sex === 'F' ? fields.sex : 'X',
      birthDate: fields.birthDate,
      nationality: fields.nationality,
    },
    document: { documentCode: fields.documentCode, documentNumber: documentNumberKey(fields.documentNumber), issuingState: fields.issuingState, expiryDate: fields.expiryDate },
  };
}

/** Removes RxDB's bookkeeping (_rev, _meta …) from a stored document's data. */
function stored(data: Registration): Registration {
  return Object.fromEntries(Object.entries(data).filter(([key]) => !key.startsWith('_'))) as Registration;
}

/**
 * The counter registration workflow (issue 9): read the document and show what the
 * station knows of the person, register the stay, open, amend and cancel a
 * registration. Every step that touches a person's records is in the audit trail, with
 * counts and field names only, never values.
 */
export class RegistrationService {
  private readonly now: () => number;
  private readonly rules: () => Rules;
  private readonly watchlist: StationWatchlist;

  constructor(private readonly options: RegistrationServiceOptions) {
    this.now = options.now ?? Date.now;
    this.rules = options.rules ?? (() => defaultRules);
    this.watchlist = new StationWatchlist(() => this.database().alerts, this.now, this.rules);
  }

  async prepare(officerId: string, input: PrepareRegistrationInput): Promise<PrepareRegistrationOutput> {
    const database = this.database();
    let mrz: PrepareRegistrationOutput['mrz'] = null;
    let read: { person: PreparedPerson; document: PreparedDocument };
    if ('mrz' in input) {
      const parsed = parseMrz(input.mrz, { today: new Date(this.now()) });
      if (!parsed.ok) throw invalid(`The document's zone could not be read: ${parsed.error.message}`, [{ path: 'mrz', message: parsed.error.message }]);
      read = fromMrz(parsed.document);
      mrz = {
        format: parsed.document.format,
        valid: parsed.document.valid,
        corrections: parsed.document.corrections.map((correction) => ({ ...correction })),
        warnings: parsed.document.warnings.map((warning) => (warning.field ? { code: warning.code, field: warning.field, message: warning.message } : { code: warning.code, message: warning.message })),
      };
    } else {
      read = {
        person: { ...input.person },
        document: { ...input.document, documentNumber: documentNumberKey(input.document.documentNumber), expiryDate: input.document.expiryDate ?? null },
      };
    }

    const byDocument = { 'document.documentNumber': read.document.documentNumber, 'document.issuingState': read.document.issuingState };
    const byPerson = read.person.birthDate ? [{ 'person.nameKey': personNameKey(read.person.surname, read.person.givenNames), 'person.birthDate': read.person.birthDate }] : [];
    const [registrations, crossings] = await Promise.all([
      this.earlier<Registration>(database.registrations, byDocument, byPerson),
      this.earlier<Crossing>(database.crossings, byDocument, byPerson),
    ]);
    registrations.sort((a, b) => b.arrivalAt - a.arrivalAt);
    crossings.sort((a, b) => b.occurredAt - a.occurredAt);

    const query: TravellerQuery = {
      surname: read.person.surname,
      givenNames: read.person.givenNames,
      nationality: read.person.nationality,
      documentNumber: read.document.documentNumber,
      issuingState: read.document.issuingState,
      ...(read.person.birthDate ? { birthDate: read.person.birthDate } : {}),
    };
    const candidates = await this.watchlist.search(query);
    const { hitThreshold } = this.rules().watchlist;

    // Looking up a person's earlier records is an access to them: counts only, never who.
    await this.options.audited(officerId, 'person.lookup', {
      source: mrz ? 'mrz' : 'typed',
      registrations: String(registrations.length),
      crossings: String(crossings.length),
      watchlistCandidates: String(candidates.length),
    });
    return {
      mrz,
      ...read,
      earlier: {
        registrations: registrations.map((registration) => ({
          id: registration.id,
          status: registration.status,
          revisionNumber: registration.revisionNumber,
          arrivalAt: registration.arrivalAt,
          plannedDepartureDate: registration.plannedDepartureDate,
          registeredAt: registration.registeredAt,
          accommodationType: registration.accommodation.type,
          municipality: registration.address.municipality,
          purposeCode: registration.purposeCode,
        })),
        crossings: crossings.map((crossing) => ({
          id: crossing.id,
          direction: crossing.direction,
          outcome: crossing.decision.outcome,
          occurredAt: crossing.occurredAt,
          crossingPointId: crossing.crossingPointId,
        })),
      },
      watchlist: candidates.map((candidate) => ({
        alertId: candidate.alert.alertId,
        kind: candidate.alert.kind,
        score: candidate.score,
        hit: candidate.score >= hitThreshold,
        reasons: candidate.reasons.map((reason) => ({ code: reason.code, text: reason.text })),
      })),
    };
  }

  async create(officerId: string, form: RegistrationForm): Promise<RegistrationView> {
    const database = this.database();
    const stationId = this.options.stationId;
    if (!stationId) throw new ApiError('STORE_UNAVAILABLE', 'This station has no station id yet (stationId in station.json), so it cannot register anybody.');
    const registration = newRegistration(form, { stationId, officerId, at: this.now() });
    this.checkRecord(registration);
    await this.checkPurpose(registration.purposeCode);
    const deadline = this.deadlineOf(registration);
    // The answer waits for the insert: the store's writes are synchronous=FULL in WAL mode
    // (docs/store.md), so once insert() resolves the registration is on disk, and an
    // officer told "registered" is never told so about a record a power cut could lose.
    await database.registrations.insert(registration);
    await this.options.audited(officerId, 'registration.create', {}, { recordType: 'registration', recordId: registration.id });
    return { registration, deadline };
  }

  async get(officerId: string, id: string): Promise<RegistrationRecordView> {
    const document = await this.database().registrations.findOne(id).exec();
    if (!document) throw new ApiError('NOT_FOUND', 'There is no registration with this id at this station.');
    const registration = document.toJSON() as Registration;
    // Opening a person's record is an access to it.
    await this.options.audited(officerId, 'registration.view', {}, { recordType: 'registration', recordId: id });
    return {
      registration,
      deadline: this.deadlineOf(registration),
      history: {
        createdAt: registration.createdAt,
        createdBy: registration.officerId,
        revisionNumber: registration.revisionNumber,
        lastChangedAt: registration.updatedAt,
        lastChangedBy: registration.updatedBy,
      },
    };
  }

  async amend(officerId: string, id: string, expectedRevisionNumber: number, changes: Partial<RegistrationForm>): Promise<RegistrationView> {
    if (changes.purposeCode !== undefined) await this.checkPurpose(changes.purposeCode);
    const registration = await this.edit(id, expectedRevisionNumber, (current) => amendRegistration(current, changes, { officerId, at: this.now() }));
    await this.options.audited(officerId, 'registration.amend', { fields: Object.keys(changes).sort().join(','), revision: String(registration.revisionNumber) }, { recordType: 'registration', recordId: id });
    return { registration, deadline: this.deadlineOf(registration) };
  }

  async cancel(officerId: string, id: string, expectedRevisionNumber: number, reason: string): Promise<RegistrationView> {
    const registration = await this.edit(id, expectedRevisionNumber, (current) => cancelRegistration(current, reason, { officerId, at: this.now() }));
    // The reason is the officer's free text and may name the person: it stays in the record only.
    await this.options.audited(officerId, 'registration.cancel', { fields: 'status,cancellation', revision: String(registration.revisionNumber) }, { recordType: 'registration', recordId: id });
    return { registration, deadline: this.deadlineOf(registration) };
  }

  private database() {
    const store = this.options.store();
    if (!store) throw new ApiError('STORE_UNAVAILABLE', 'The station store is not open (see the station status), so registrations cannot be used now.');
    return store.database;
  }

  /**
   * Applies an edit to the stored registration if the officer's form was filled from
   * the revision stored now. The check runs inside RxDB's incremental modify, which
   * applies one document's modifications one after the other, so two officers editing
   * at once cannot both pass it.
   */
  private async edit(id: string, expectedRevisionNumber: number, change: (current: Registration) => Registration): Promise<Registration> {
    const document = await this.database().registrations.findOne(id).exec();
    if (!document) throw new ApiError('NOT_FOUND', 'There is no registration with this id at this station.');
    let edited: Registration | undefined;
    await document.incrementalModify((data) => {
      const current = stored(data as Registration);
      if (current.revisionNumber !== expectedRevisionNumber) {
        throw new ApiError(
          'CONFLICT',
          `This registration was changed since it was opened (it is at revision ${current.revisionNumber}, the form was filled from revision ${expectedRevisionNumber}): open it again and redo the change.`,
        );
      }
      try {
        edited = change(current);
      } catch (error) {
        if (error instanceof RecordError) throw new ApiError('CONFLICT', error.message);
        throw error;
      }
      this.checkRecord(edited);
      return { ...data, ...edited };
    });
    if (!edited) throw new Error('the registration edit was not applied');
    return edited;
  }

  /** The record as it would be stored, checked by the record's own rules (lengths, patterns, dates). */
  private checkRecord(registration: Registration): void {
    const checked = registrationValidator.safeParse(registration);
    if (!checked.success) {
      throw invalid('The registration is not valid: see the marked fields.', checked.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })));
    }
    if (daysBetween(calendarDayOf(isoInstant(registration.arrivalAt)), registration.plannedDepartureDate) < 0) {
      throw invalid('The planned departure is before the arrival.', [{ path: 'plannedDepartureDate', message: 'The planned departure is before the arrival' }]);
    }
  }

  /**
   * A purpose of stay is an entry of the purposes code list in force today, as the form
   * offers them: a code the list does not have (or has, but not in force today) is refused on
   * its field, and a station whose code lists have not been pulled yet is told so.
   */
  private async checkPurpose(purposeCode: string): Promise<void> {
    const { codeLists } = this.database();
    const entry = await codeLists.findOne(codeListEntryId(PURPOSES_LIST, purposeCode)).exec();
    if (entry && inForceOn(entry, calendarDayOf(isoInstant(this.now())))) return;
    const listed = entry ? 1 : await codeLists.count({ selector: { list: PURPOSES_LIST } }).exec();
    const message =
      listed === 0
        ? 'This station has no purposes of stay yet: its code lists come with the first sync with the server.'
        : entry
          ? `The purpose of stay ${purposeCode} is not in force today.`
          : `${purposeCode} is not a purpose of stay of the code list.`;
    throw invalid(message, [{ path: 'purposeCode', message }]);
  }

  /** Deadline and lateness, judged at the moment the registration was made. */
  private deadlineOf(registration: Registration): RegistrationDeadline {
    const arrivedAt = isoInstant(registration.arrivalAt);
    // Counted on UTC calendar days, as the records store their dates.
    const plannedStayDays = daysBetween(calendarDayOf(arrivedAt), registration.plannedDepartureDate);
    const facts = { arrivedAt, accommodation: registration.accommodation.type, registeredAt: isoInstant(registration.registeredAt) };
    const rules = this.rules();
    if (plannedStayDays >= 0) return registrationDeadline({ ...facts, plannedStayDays }, rules);
    // This station never saves such a record, but one can arrive from elsewhere (a central
    // correction): it is shown, judged as a stay that must be registered, and marked.
    const judged = registrationDeadline({ ...facts, plannedStayDays: rules.registration.privateExemptMaxDays + 1 }, rules);
    return {
      ...judged,
      explanation: `The planned departure (${registration.plannedDepartureDate}) is before the arrival: the record needs correcting. Judged as a stay that must be registered: ${judged.explanation}`,
    };
  }

  /** Records found by document or by name and birth date, each once. */
  private async earlier<T extends { id: string }>(collection: RxCollection<T>, byDocument: Record<string, string>, byPerson: Record<string, string>[]): Promise<T[]> {
    // Both collections index these paths the same way; the selector names nested paths, which RxDB's type cannot follow through T.
    const found = await collection.find({ selector: { $or: [byDocument, ...byPerson] } as MangoQuerySelector<T> }).exec();
    return found.map((document) => document.toJSON() as T);
  }
}
