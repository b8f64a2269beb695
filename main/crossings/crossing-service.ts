import type { MangoQuerySelector } from 'rxdb';
import { DeviceError, type FingerprintScanner } from '../../devices';
import { encodeGreyscalePng } from '../../devices/image/png';
import {
  documentFactsFromMrz,
  entryChecks,
  exitStayChecks,
  suggestedRefusalReasons,
  travellerQueryFrom,
  type CheckResult,
  type EarlierRefusal,
  type TravelDocumentFacts,
  type VisaRegime,
} from '../../domain/checks';
import { documentChecks } from '../../domain/checks/document-checks';
import { fingerprintChecks } from '../../domain/checks/fingerprint-checks';
import { watchlistChecks } from '../../domain/checks/watchlist-checks';
import { newId } from '../../domain/ids';
import { parseMrz } from '../../domain/mrz';
import type { Biometric, CodeListEntry, Crossing } from '../../domain/records';
import { biometricValidator, crossingValidator, documentNumberKey, inForceOn, newBiometric, newCrossing, personNameKey } from '../../domain/records';
import { correctionOf } from '../../domain/records/new-records';
import { OVERSTAY_CHECK } from '../../domain/retention';
import { defaultRules, type Rules } from '../../domain/rules';
import { assessOverstayOnExit, assessPlannedStay, daysUsedIn180, type Crossing as StayCrossing } from '../../domain/stay';
import { calendarDayOf, dayNumber, isoInstant } from '../../domain/time';
import { ApiError } from '../api/errors';
import type { StationStore } from '../services/station-store';
import { StationWatchlist } from '../watchlist/station-watchlist';
import type {
  BiometricView,
  CaptureFingerInput,
  CaptureFingerOutput,
  CorrectCrossingInput,
  CrossingCheckView,
  CrossingRecordView,
  PrepareCrossingInput,
  PrepareCrossingOutput,
  RecordCrossingInput,
  RecordCrossingOutput,
} from './crossing-schemas';

/** Appends to the audit trail (compose.ts); never given personal data. */
export type CrossingAudit = (
  officerId: string,
  action: string,
  details: Record<string, string>,
  record?: { recordType: 'crossing' | 'biometric'; recordId: string },
) => Promise<void>;

export interface CrossingServiceOptions {
  store: () => StationStore | null;
  stationId: string | null;
  audited: CrossingAudit;
  /** The station's fingerprint scanner of that id (the device manager's); throws DeviceError when there is none. */
  scanner: (deviceId: string) => FingerprintScanner;
  /** The station clock (tests move it). */
  now?: () => number;
  /** The rules in force (the station's, from its rules code list); the defaults otherwise. */
  rules?: () => Rules;
}

type RecordedCheck = Crossing['checks'][number];
type CheckView = Omit<CrossingCheckView, 'recorded'>;

/**
 * How each check is kept in the border record (domain/records/crossings.ts): a name
 * in the record's own style, and whether the traveller passed it. The record's
 * 'critical' is the checks' 'block'.
 */
const RECORDED: Readonly<Record<string, { check: string; outcome: RecordedCheck['outcome'] }>> = {
  MRZ_INVALID: { check: 'document.checkDigits', outcome: 'failed' },
  DOCUMENT_EXPIRED: { check: 'document.expiry', outcome: 'failed' },
  DOCUMENT_EXPIRES_TOO_SOON: { check: 'document.validAfterDeparture', outcome: 'failed' },
  DOCUMENT_TOO_OLD: { check: 'document.issueDate', outcome: 'failed' },
  DOCUMENT_ISSUE_DATE_UNKNOWN: { check: 'document.issueDate', outcome: 'not-run' },
  OWN_NATIONAL: { check: 'person.ownNational', outcome: 'passed' },
  VISA_REQUIRED: { check: 'visa.required', outcome: 'failed' },
  VISA_PRESENTED: { check: 'visa.required', outcome: 'passed' },
  VISA_NOT_REQUIRED: { check: 'visa.required', outcome: 'passed' },
  VISA_REGIME_UNKNOWN: { check: 'visa.required', outcome: 'not-run' },
  STAY_LIMIT_USED_UP: { check: 'stay.limit', outcome: 'failed' },
  PLANNED_STAY_TOO_LONG: { check: 'stay.plannedLength', outcome: 'failed' },
  STAY_DAYS_USED: { check: 'stay.days-used', outcome: 'passed' },
  STAY_RECORD_INCOMPLETE: { check: 'stay.record', outcome: 'failed' },
  EARLIER_REFUSAL: { check: 'history.earlierRefusal', outcome: 'failed' },
  WATCHLIST_HIT: { check: 'watchlist', outcome: 'failed' },
  WATCHLIST_POSSIBLE_MATCH: { check: 'watchlist.possibleMatch', outcome: 'failed' },
  WATCHLIST_CLEAR: { check: 'watchlist', outcome: 'passed' },
  FINGERPRINTS_REQUIRED: { check: 'fingerprints', outcome: 'passed' },
  FINGERPRINTS_EXEMPT_UNDER_12: { check: 'fingerprints.exemptUnder12', outcome: 'passed' },
  FINGERPRINTS_AGE_UNCERTAIN: { check: 'fingerprints.ageUncertain', outcome: 'failed' },
  // The retention rules keep an overstayer's records longer: they look for this check, failed.
  STAY_OVERSTAY: { check: OVERSTAY_CHECK, outcome: 'failed' },
  STAY_NO_OVERSTAY: { check: OVERSTAY_CHECK, outcome: 'passed' },
};

const RECORDED_SEVERITY: Readonly<Record<CheckView['severity'], RecordedCheck['severity']>> = { block: 'critical', warning: 'warning', info: 'info' };
const SEVERITY_ORDER: Readonly<Record<CheckView['severity'], number>> = { block: 0, warning: 1, info: 2 };

/** How long a finger taken on the scanner waits in main for its crossing to be recorded. */
const CAPTURE_KEPT_MS = 30 * 60_000;
/** More than a few people's fingers waiting means captures were abandoned; the oldest go. */
const MAX_CAPTURES_KEPT = 40;

interface HeldCapture {
  officerId: string;
  fingerPosition: number;
  template: { format: string; data: Uint8Array } | null;
  quality: number;
  png: Uint8Array;
  heldAt: number;
}

function invalid(message: string, issues: { path: string; message: string }[] = []): ApiError {
  return new ApiError('INVALID_INPUT', message, issues);
}

function withRecord(check: CheckView): CrossingCheckView {
  const recorded = RECORDED[check.code] ?? { check: 'other', outcome: 'failed' as const };
  return { ...check, recorded: { check: recorded.check, severity: RECORDED_SEVERITY[check.severity], outcome: recorded.outcome } };
}

function fromDomain(result: CheckResult): CheckView {
  return { code: result.check, severity: result.severity, explanation: result.explanation, facts: result.facts, suggestedRefusalReasons: [...result.suggestedRefusalReasons] };
}

/** Removes RxDB's bookkeeping (_rev, _meta …) from a stored document's data. */
function stored<T>(data: T): T {
  return Object.fromEntries(Object.entries(data as Record<string, unknown>).filter(([key]) => !key.startsWith('_'))) as T;
}

function biometricView(biometric: Biometric): BiometricView {
  const { capture } = biometric;
  return {
    id: biometric.id,
    outcome: capture.outcome,
    fingerPosition: capture.fingerPosition ?? null,
    quality: capture.outcome === 'captured' ? capture.quality : null,
    reason: capture.outcome === 'exempt' ? capture.reason : null,
  };
}

interface Assessment {
  output: PrepareCrossingOutput;
  facts: TravelDocumentFacts;
}

/**
 * Border control (issue 9): read the traveller's document, run every entry or exit
 * check of the domain rules against what this station knows (earlier crossings and
 * refusals, visa regimes, the watchlist), take fingerprints, and record the officer's
 * decision. Border records are immutable: a correction is a new record that names the
 * one it corrects. Every access to a person's data is in the audit trail, with counts
 * and codes only.
 */
export class CrossingService {
  private readonly now: () => number;
  private readonly rules: () => Rules;
  private readonly watchlist: StationWatchlist;
  private readonly captures = new Map<string, HeldCapture>();

  constructor(private readonly options: CrossingServiceOptions) {
    this.now = options.now ?? Date.now;
    this.rules = options.rules ?? (() => defaultRules);
    this.watchlist = new StationWatchlist(() => this.database().alerts, this.now, this.rules);
  }

  async prepare(officerId: string, input: PrepareCrossingInput): Promise<PrepareCrossingOutput> {
    const { output } = await this.assess(input);
    // Looking a traveller up is an access to their records: counts only, never who.
    await this.options.audited(officerId, 'person.lookup', {
      workflow: 'border',
      direction: input.direction,
      source: 'mrz' in input.source ? 'mrz' : 'typed',
      crossings: String(output.earlier.length),
      checks: String(output.checks.length),
      blocking: String(output.checks.filter((check) => check.severity === 'block').length),
    });
    return output;
  }

  async captureFinger(officerId: string, input: CaptureFingerInput): Promise<CaptureFingerOutput> {
    let capture;
    try {
      capture = await this.options.scanner(input.deviceId).capture({ timeoutMs: input.timeoutMs });
    } catch (error) {
      if (error instanceof DeviceError) throw new ApiError(error.code === 'DEVICE_NOT_FOUND' ? 'NOT_FOUND' : 'DEVICE_FAILED', error.message);
      throw error;
    }
    const quality = Math.round(capture.quality);
    // A person's fingerprint was taken: an access to biometric data, whatever is done with it next.
    await this.options.audited(officerId, 'fingerprint.capture', { device: input.deviceId, finger: String(input.fingerPosition), quality: String(quality), workflow: 'border' });
    const png = encodeGreyscalePng(capture.image);
    const now = this.now();
    const captureId = newId(now);
    this.forgetOldCaptures(now);
    this.captures.set(captureId, { officerId, fingerPosition: input.fingerPosition, template: capture.template, quality, png, heldAt: now });
    return {
      captureId,
      fingerPosition: input.fingerPosition,
      width: capture.image.width,
      height: capture.image.height,
      pngBase64: Buffer.from(png).toString('base64'),
      quality,
      qualityMethod: capture.qualityMethod,
      usable: capture.template !== null,
    };
  }

  async record(officerId: string, input: RecordCrossingInput): Promise<RecordCrossingOutput> {
    const database = this.database();
    const stationId = this.stationIdOrFail();
    if (input.decision.outcome === 'refused' && input.direction === 'exit') {
      throw invalid('Only an entry can be refused with the refusal form; record the exit, and follow the procedure the checks name.', [{ path: 'decision', message: 'A refusal is for an entry' }]);
    }
    const station = await database.stations.findOne(stationId).exec();
    if (station?.kind === 'police-station') throw new ApiError('FORBIDDEN', 'This station is a police station: border records are made at border crossings only.');
    const { output, facts } = await this.assess(input);
    const captures = this.capturesFor(officerId, input.fingerprints, output.fingerprints);

    const at = this.now();
    const crossing = newCrossing(
      {
        direction: input.direction,
        decision: input.decision.outcome === 'refused' ? { outcome: 'refused', reasons: [...input.decision.reasons].sort() } : { outcome: 'admitted' },
        authority: output.crossingPoint.authority,
        crossingPointId: output.crossingPoint.id,
        occurredAt: at,
        person: { surname: facts.surname, givenNames: facts.givenNames, sex: facts.sex, birthDate: facts.birthDate, nationality: facts.nationality },
        document: { documentCode: facts.documentCode, documentNumber: facts.documentNumber, issuingState: facts.issuingState, expiryDate: facts.expiryDate },
        checks: output.checks.map((check) => check.recorded),
        ...(input.visa?.presented && input.visa.details ? { visa: input.visa.details } : {}),
      },
      { stationId, officerId, at },
    );
    this.checkRecord(crossing);
    const biometrics = this.biometricsFor(crossing, input.fingerprints, captures, { stationId, officerId, at });

    // The answer waits for the writes: the store's writes are synchronous=FULL in WAL mode
    // (docs/store.md), so once insert() resolves the record is on disk, and an officer
    // told "saved" is never told so about a record a power cut could lose.
    await database.crossings.insert(crossing);
    if (biometrics.length > 0) {
      await database.biometrics.bulkInsert(biometrics.map((entry) => entry.record));
      for (const { record, png } of biometrics) {
        if (!png) continue;
        const document = await database.biometrics.findOne(record.id).exec();
        await document?.putAttachment({ id: 'image', data: new Blob([png], { type: 'image/png' }), type: 'image/png' });
      }
    }
    for (const { captureId } of input.fingerprints?.kind === 'captured' ? input.fingerprints.captures : []) this.captures.delete(captureId);

    await this.options.audited(
      officerId,
      'crossing.create',
      {
        direction: crossing.direction,
        outcome: crossing.decision.outcome,
        reasons: crossing.decision.outcome === 'refused' ? crossing.decision.reasons.join(',') : '',
        checks: String(crossing.checks.length),
        fingerprints: input.fingerprints?.kind === 'exempt' ? `exempt:${input.fingerprints.reason}` : String(captures.length),
      },
      { recordType: 'crossing', recordId: crossing.id },
    );
    for (const { record } of biometrics) {
      await this.options.audited(officerId, 'biometric.create', { crossing: crossing.id, outcome: record.capture.outcome }, { recordType: 'biometric', recordId: record.id });
    }
    return { crossing, checks: output.checks, biometrics: biometrics.map(({ record }) => biometricView(record)) };
  }

  async get(officerId: string, id: string): Promise<CrossingRecordView> {
    const view = await this.view(id);
    // Opening a person's record is an access to it.
    await this.options.audited(officerId, 'crossing.view', { biometrics: String(view.biometrics.length) }, { recordType: 'crossing', recordId: id });
    return view;
  }

  async correct(officerId: string, input: CorrectCrossingInput): Promise<CrossingRecordView> {
    const database = this.database();
    const stationId = this.stationIdOrFail();
    const found = await database.crossings.findOne(input.id).exec();
    if (!found) throw new ApiError('NOT_FOUND', 'There is no border record with this id at this station.');
    const original = stored(found.toJSON() as Crossing);
    const later = await database.crossings.findOne({ selector: { correctsId: original.id } }).exec();
    if (later) throw new ApiError('CONFLICT', 'This border record has already been corrected: open the correction and correct that one.');
    const direction = input.changes.direction ?? original.direction;
    const decision = input.changes.decision ?? original.decision;
    if (decision.outcome === 'refused' && direction === 'exit') {
      throw invalid('Only an entry can be refused with the refusal form.', [{ path: 'changes.decision', message: 'A refusal is for an entry' }]);
    }
    const { changes } = input;
    const correction = correctionOf(
      original,
      {
        ...(changes.direction ? { direction: changes.direction } : {}),
        ...(changes.decision ? { decision: changes.decision.outcome === 'refused' ? { outcome: 'refused', reasons: [...changes.decision.reasons].sort() } : { outcome: 'admitted' } } : {}),
        ...(changes.occurredAt !== undefined ? { occurredAt: changes.occurredAt } : {}),
        ...(changes.person ? { person: changes.person } : {}),
        ...(changes.document ? { document: { ...changes.document, documentNumber: documentNumberKey(changes.document.documentNumber) } } : {}),
      },
      { stationId, officerId, at: this.now() },
    );
    this.checkRecord(correction);
    await database.crossings.insert(correction);
    await this.options.audited(
      officerId,
      'crossing.correct',
      { corrects: original.id, reason: input.reason, fields: Object.keys(changes).sort().join(',') },
      { recordType: 'crossing', recordId: correction.id },
    );
    return { crossing: correction, biometrics: [], correctedBy: [] };
  }

  /** Everything prepare shows, without the audit entry (record runs it again, so that what is stored is main's own judgement). */
  private async assess(input: PrepareCrossingInput): Promise<Assessment> {
    const now = this.now();
    const today = calendarDayOf(isoInstant(now));
    const { facts, mrz } = this.read(input.source, now);
    const rules = this.rules();
    const planned = input.direction === 'entry' ? (input.plannedDepartureDate ?? null) : null;
    if (planned !== null && dayNumber(planned) < dayNumber(today)) {
      throw invalid('The planned departure is before today.', [{ path: 'plannedDepartureDate', message: 'The planned departure is before the entry' }]);
    }

    const [history, regimes, candidates, crossingPoint] = await Promise.all([
      this.history(facts),
      this.visaRegimes(today),
      this.watchlist.search(travellerQueryFrom(facts)),
      this.crossingPoint(),
    ]);
    const stayCrossings: StayCrossing[] = history.effective
      .filter((crossing) => crossing.decision.outcome === 'admitted')
      .map((crossing) => ({ direction: crossing.direction, at: isoInstant(crossing.occurredAt) }));
    const refusals: EarlierRefusal[] = history.effective.flatMap((crossing) =>
      crossing.decision.outcome === 'refused' ? [{ at: isoInstant(crossing.occurredAt), reasons: crossing.decision.reasons, crossingPoint: crossing.crossingPointId }] : [],
    );
    const ownNational = rules.borders.ownNationalities.includes(facts.nationality);

    let domainResults: CheckResult[];
    let views: CheckView[];
    let stay: PrepareCrossingOutput['stay'] = null;
    if (input.direction === 'entry') {
      const plannedStay = { entryDate: today, plannedDepartureDate: planned ?? today };
      domainResults = entryChecks(
        { document: facts, plannedStay, history: { crossings: stayCrossings, refusals }, visa: { regimes, validVisaPresented: input.visa?.presented ?? false }, watchlistCandidates: candidates },
        rules,
      );
      views = domainResults.map(fromDomain);
      if (!ownNational) {
        const assessment = assessPlannedStay(stayCrossings, plannedStay.entryDate, plannedStay.plannedDepartureDate, rules);
        stay = { daysUsed: assessment.daysUsedOnEntry, daysLeft: assessment.daysLeftOnDeparture, latestLawfulExit: assessment.latestLawfulExit, overstayDays: null };
      }
    } else {
      // Leaving: who the traveller is (the zone, the watchlist) and whether they overstayed.
      domainResults = [
        ...documentChecks(facts, { entryDate: today, plannedDepartureDate: today }, rules).filter((result) => result.check === 'MRZ_INVALID'),
        ...watchlistChecks(candidates, rules),
        ...(ownNational ? [] : fingerprintChecks(facts.birthDate, today, rules)),
      ];
      views = domainResults.map(fromDomain);
      if (!ownNational) {
        const exitAt = isoInstant(now);
        const overstay = assessOverstayOnExit(stayCrossings, exitAt, rules);
        const daysUsed = daysUsedIn180([...stayCrossings, { direction: 'exit', at: exitAt }], today, rules);
        stay = { daysUsed, daysLeft: Math.max(0, rules.shortStay.maxDaysInWindow - daysUsed), latestLawfulExit: overstay.latestLawfulExit, overstayDays: overstay.overstayDays };
        views.push(...exitStayChecks(overstay, rules).map(fromDomain));
      }
    }
    // The entry checks say nothing when nobody on the watchlist resembles the traveller; the record says it was asked.
    if (!views.some((view) => view.code.startsWith('WATCHLIST_'))) {
      views.push({ code: 'WATCHLIST_CLEAR', severity: 'info', explanation: 'No alert of the station watchlist matches the traveller or the document', facts: {}, suggestedRefusalReasons: [] });
    }
    // Stable sort: within a severity, the checks keep the domain's order.
    views.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);

    const codes = new Set(views.map((view) => view.code));
    const fingerprints = codes.has('FINGERPRINTS_REQUIRED')
      ? 'required'
      : codes.has('FINGERPRINTS_EXEMPT_UNDER_12')
        ? 'exempt-under-12'
        : codes.has('FINGERPRINTS_AGE_UNCERTAIN')
          ? 'age-uncertain'
          : 'not-required';
    return {
      facts,
      output: {
        direction: input.direction,
        mrz,
        person: { surname: facts.surname, givenNames: facts.givenNames, sex: facts.sex, birthDate: facts.birthDate, nationality: facts.nationality },
        document: { documentCode: facts.documentCode, documentNumber: facts.documentNumber, issuingState: facts.issuingState, expiryDate: facts.expiryDate },
        onDate: today,
        plannedDepartureDate: planned,
        checks: views.map(withRecord),
        stay,
        fingerprints,
        suggestedRefusalReasons: input.direction === 'entry' ? suggestedRefusalReasons(domainResults) : [],
        earlier: history.all
          .sort((a, b) => b.occurredAt - a.occurredAt)
          .map((crossing) => ({
            id: crossing.id,
            direction: crossing.direction,
            outcome: crossing.decision.outcome,
            reasons: crossing.decision.outcome === 'refused' ? [...crossing.decision.reasons] : [],
            occurredAt: crossing.occurredAt,
            corrected: history.corrected.has(crossing.id),
          })),
        crossingPoint,
      },
    };
  }

  /** The document's facts, from the zone or as typed; a zone without usable dates must be typed from the data page. */
  private read(source: PrepareCrossingInput['source'], now: number): { facts: TravelDocumentFacts; mrz: PrepareCrossingOutput['mrz'] } {
    if ('mrz' in source) {
      const parsed = parseMrz(source.mrz, { today: new Date(now) });
      if (!parsed.ok) throw invalid(`The document's zone could not be read: ${parsed.error.message}`, [{ path: 'mrz', message: parsed.error.message }]);
      const facts = documentFactsFromMrz(parsed.document);
      if (!facts.ok) throw invalid(facts.message, facts.missing.map((field) => ({ path: field, message: facts.message })));
      const { document } = parsed;
      return {
        facts: { ...facts.facts, documentNumber: documentNumberKey(facts.facts.documentNumber) },
        mrz: {
          format: document.format,
          valid: document.valid,
          corrections: document.corrections.map((correction) => ({ ...correction })),
          warnings: document.warnings.map((warning) => (warning.field ? { code: warning.code, field: warning.field, message: warning.message } : { code: warning.code, message: warning.message })),
        },
      };
    }
    const { person, document } = source;
    if (!document.expiryDate) {
      throw invalid('The checks need the document\'s expiry date: type it from the data page.', [{ path: 'document.expiryDate', message: 'Required for border control' }]);
    }
    return {
      facts: {
        documentCode: document.documentCode,
        issuingState: document.issuingState,
        nationality: person.nationality,
        documentNumber: documentNumberKey(document.documentNumber),
        surname: person.surname,
        givenNames: person.givenNames,
        birthDate: person.birthDate,
        sex: person.sex,
        expiryDate: document.expiryDate,
        // Typed from the data page: there is no zone whose check digits could fail.
        mrzValid: true,
      },
      mrz: null,
    };
  }

  /**
   * The traveller's border records here, by document (number and issuing state) and
   * by name key and birth date. A record that was corrected counts no more: its
   * correction stands in its place (found too, even when it changed the document).
   */
  private async history(facts: TravelDocumentFacts): Promise<{ all: Crossing[]; effective: Crossing[]; corrected: Set<string> }> {
    const crossings = this.database().crossings;
    const byDocument = { 'document.documentNumber': facts.documentNumber, 'document.issuingState': facts.issuingState };
    const byPerson = facts.birthDate ? [{ 'person.nameKey': personNameKey(facts.surname, facts.givenNames), 'person.birthDate': facts.birthDate }] : [];
    // The collection indexes these paths; the selector names nested paths, which RxDB's type cannot follow.
    const found = (await crossings.find({ selector: { $or: [byDocument, ...byPerson] } as MangoQuerySelector<Crossing> }).exec()).map((document) => stored(document.toJSON() as Crossing));
    const ids = new Set(found.map((crossing) => crossing.id));
    const corrections = found.length === 0 ? [] : (await crossings.find({ selector: { correctsId: { $in: [...ids] } } }).exec()).map((document) => stored(document.toJSON() as Crossing));
    const all = [...found, ...corrections.filter((crossing) => !ids.has(crossing.id))];
    const corrected = new Set(all.map((crossing) => crossing.correctsId).filter((id) => id !== ''));
    return { all, effective: all.filter((crossing) => !corrected.has(crossing.id)), corrected };
  }

  /** The code list 'visaRegimes': one entry per nationality (ICAO code), its extra.regime 'visa-free' or 'visa-required'. */
  private async visaRegimes(today: string): Promise<Record<string, VisaRegime>> {
    const entries = await this.database().codeLists.find({ selector: { list: 'visaRegimes' } }).exec();
    const regimes: Record<string, VisaRegime> = {};
    for (const entry of entries.map((document) => document.toJSON() as CodeListEntry)) {
      if (!inForceOn(entry, today)) continue;
      const regime = entry.extra?.['regime'];
      if (regime === 'visa-free' || regime === 'visa-required') regimes[entry.code] = regime;
    }
    return regimes;
  }

  /** This station as the crossing point of its records; its name is the recording authority. */
  private async crossingPoint(): Promise<PrepareCrossingOutput['crossingPoint']> {
    const stationId = this.stationIdOrFail();
    const station = await this.database().stations.findOne(stationId).exec();
    return { id: stationId, code: station?.crossingPointCode ?? null, name: station?.name ?? null, authority: station?.name ?? stationId };
  }

  /** The captures named for the record, checked: this officer's, still kept, one per finger, each with a template. */
  private capturesFor(officerId: string, fingerprints: RecordCrossingInput['fingerprints'], required: PrepareCrossingOutput['fingerprints']): (HeldCapture & { captureId: string })[] {
    if (!fingerprints) return [];
    if (fingerprints.kind === 'exempt') {
      if (fingerprints.reason === 'UNDER_AGE' && required !== 'exempt-under-12') {
        throw invalid(`The traveller is not shown to be under ${this.rules().fingerprints.exemptUnderAge} by the date of birth: take the fingerprints, or give another reason.`, [
          { path: 'fingerprints.reason', message: 'Not under age by the document' },
        ]);
      }
      return [];
    }
    const positions = new Set<number>();
    return fingerprints.captures.map(({ captureId }, index) => {
      const held = this.captures.get(captureId);
      if (!held || held.officerId !== officerId) {
        throw invalid('A fingerprint taken for this crossing is no longer kept (taken too long ago, or by another officer): take it again.', [{ path: `fingerprints.captures.${index}`, message: 'Capture not found' }]);
      }
      if (!held.template) throw invalid('A fingerprint was too poor for a template: take it again.', [{ path: `fingerprints.captures.${index}`, message: 'No template' }]);
      if (positions.has(held.fingerPosition)) throw invalid('The same finger was given twice: keep one capture per finger.', [{ path: `fingerprints.captures.${index}`, message: 'Finger given twice' }]);
      positions.add(held.fingerPosition);
      return { ...held, captureId };
    });
  }

  private biometricsFor(
    crossing: Crossing,
    fingerprints: RecordCrossingInput['fingerprints'],
    captures: (HeldCapture & { captureId: string })[],
    by: { stationId: string; officerId: string; at: number },
  ): { record: Biometric; png: Uint8Array | null }[] {
    if (!fingerprints) return [];
    const made =
      fingerprints.kind === 'exempt'
        ? [{ record: newBiometric({ recordType: 'crossing', recordId: crossing.id, capture: { outcome: 'exempt', reason: fingerprints.reason } }, by), png: null }]
        : captures.map((held) => ({
            record: newBiometric(
              {
                recordType: 'crossing',
                recordId: crossing.id,
                capture: {
                  outcome: 'captured',
                  fingerPosition: held.fingerPosition,
                  templateFormat: held.template!.format,
                  template: Buffer.from(held.template!.data).toString('base64'),
                  quality: held.quality,
                },
              },
              by,
            ),
            png: held.png,
          }));
    for (const { record } of made) {
      const checked = biometricValidator.safeParse(record);
      if (!checked.success) throw invalid('A fingerprint cannot be stored as it is: take it again.', checked.error.issues.map((issue) => ({ path: `fingerprints.${issue.path.join('.')}`, message: issue.message })));
    }
    return made;
  }

  private async view(id: string): Promise<CrossingRecordView> {
    const database = this.database();
    const found = await database.crossings.findOne(id).exec();
    if (!found) throw new ApiError('NOT_FOUND', 'There is no border record with this id at this station.');
    const [biometrics, corrections] = await Promise.all([
      database.biometrics.find({ selector: { recordId: id } }).exec(),
      database.crossings.find({ selector: { correctsId: id }, sort: [{ createdAt: 'asc' }] }).exec(),
    ]);
    return {
      crossing: stored(found.toJSON() as Crossing),
      biometrics: biometrics.map((document) => biometricView(stored(document.toJSON() as Biometric))),
      correctedBy: corrections.map((document) => document.id),
    };
  }

  /** The record as it would be stored, checked by the record's own rules. */
  private checkRecord(crossing: Crossing): void {
    const checked = crossingValidator.safeParse(crossing);
    if (!checked.success) {
      throw invalid('The border record is not valid: see the marked fields.', checked.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })));
    }
  }

  private forgetOldCaptures(now: number): void {
    for (const [id, held] of this.captures) if (now - held.heldAt > CAPTURE_KEPT_MS) this.captures.delete(id);
    // Map keeps insertion order: the first are the oldest.
    while (this.captures.size >= MAX_CAPTURES_KEPT) this.captures.delete(this.captures.keys().next().value!);
  }

  private stationIdOrFail(): string {
    const { stationId } = this.options;
    if (!stationId) throw new ApiError('STORE_UNAVAILABLE', 'This station has no station id yet (stationId in station.json), so it cannot record crossings.');
    return stationId;
  }

  private database() {
    const store = this.options.store();
    if (!store) throw new ApiError('STORE_UNAVAILABLE', 'The station store is not open (see the station status), so border control cannot be used now.');
    return store.database;
  }
}
