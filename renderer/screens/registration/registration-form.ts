import type { RequestInput, RequestOutput } from '../../../main/api/types';
import type { Rules } from '../../../domain/rules';
import { parseMrz } from '../../../domain/mrz';
import { documentNumberKey } from '../../../domain/records/name-key';
import { StayError, registrationDeadline, type RegistrationDeadline } from '../../../domain/stay';
import { TimeError, addDays, calendarDayOf, daysBetween, isoInstant } from '../../../domain/time';

/**
 * The counter form as the officer edits it: every field a string, as inputs hold them,
 * turned into the request main checks (registrations.create, registrations.amend).
 * Nothing here decides whether a registration is valid: main and domain/ do.
 */

export type PreparedDocument = RequestOutput<'registrations.prepare'>;
export type RegistrationForm = RequestInput<'registrations.create'>;
export type Registration = RequestOutput<'registrations.get'>['registration'];
export type CodeListEntry = RequestOutput<'reference.codeLists'>['entries'][number];

/** A saved or opened registration with its deadline, as main answers for it. */
export interface RecordView {
  registration: Registration;
  deadline: RegistrationDeadline;
}

export interface FormState {
  surname: string;
  givenNames: string;
  sex: 'F' | 'M' | 'X' | '';
  birthDate: string;
  nationality: string;
  documentCode: string;
  documentNumber: string;
  issuingState: string;
  expiryDate: string;
  accommodationType: 'commercial' | 'private';
  /** The provider's code in the providers' code list; '' until chosen. */
  providerCode: string;
  providerName: string;
  hostName: string;
  hostIdNumber: string;
  street: string;
  houseNumber: string;
  postcode: string;
  place: string;
  municipality: string;
  /** In the station's local time, 'YYYY-MM-DD HH:mm' (a text field: see CodePicker on keyboard-wedge readers). */
  arrival: string;
  /** A helper for the keyboard: typing 7 here sets the planned departure 7 days after the arrival. */
  stayDays: string;
  plannedDepartureDate: string;
  purposeCode: string;
}

export type FieldName = keyof FormState;

/** The providers' and purposes' code lists (reference data pulled from the server). */
export const PROVIDERS_LIST = 'accommodationProviders';
export const PURPOSES_LIST = 'purposes';

function twoDigits(value: number): string {
  return String(value).padStart(2, '0');
}

/** A moment as the arrival field shows it: the station's local time, to the minute. */
export function localDateTime(ms: number): string {
  const at = new Date(ms);
  return `${at.getFullYear()}-${twoDigits(at.getMonth() + 1)}-${twoDigits(at.getDate())} ${twoDigits(at.getHours())}:${twoDigits(at.getMinutes())}`;
}

/** The moment an arrival field's 'YYYY-MM-DD HH:mm' stands for (local time), or null while it is incomplete. */
export function arrivalMs(value: string): number | null {
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})$/.exec(value.trim());
  if (!match) return null;
  const ms = new Date(`${match[1]}T${match[2]}`).getTime();
  return Number.isNaN(ms) ? null : ms;
}

/** An empty form for a new registration: the arrival is now, the municipality the station's. */
export function emptyForm(now: number, stationMunicipality: string | null): FormState {
  return {
    surname: '',
    givenNames: '',
    sex: '',
    birthDate: '',
    nationality: '',
    documentCode: 'P',
    documentNumber: '',
    issuingState: '',
    expiryDate: '',
    accommodationType: 'commercial',
    providerCode: '',
    providerName: '',
    hostName: '',
    hostIdNumber: '',
    street: '',
    houseNumber: '',
    postcode: '',
    place: stationMunicipality ?? '',
    municipality: stationMunicipality ?? '',
    arrival: localDateTime(now),
    stayDays: '',
    plannedDepartureDate: '',
    purposeCode: '',
  };
}

/** The person and document a zone holds, read here with the same engine main uses (domain/mrz); null when it cannot be read. */
export function readZone(text: string, now: number): Pick<PreparedDocument, 'person' | 'document'> | null {
  const parsed = parseMrz(text, { today: new Date(now) });
  if (!parsed.ok) return null;
  const { fields } = parsed.document;
  return {
    person: { surname: fields.surname, givenNames: fields.givenNames, sex: fields.sex === 'M' || fields.sex === 'F' ? fields.sex : 'X', birthDate: fields.birthDate, nationality: fields.nationality },
    document: { documentCode: fields.documentCode, documentNumber: documentNumberKey(fields.documentNumber), issuingState: fields.issuingState, expiryDate: fields.expiryDate },
  };
}

/** What a read or typed document puts into the form; the stay fields the officer has filled stay as they are. */
export function withDocument(form: FormState, prepared: Pick<PreparedDocument, 'person' | 'document'>): FormState {
  return {
    ...form,
    surname: prepared.person.surname,
    givenNames: prepared.person.givenNames,
    sex: prepared.person.sex,
    birthDate: prepared.person.birthDate ?? '',
    nationality: prepared.person.nationality,
    documentCode: prepared.document.documentCode,
    documentNumber: prepared.document.documentNumber,
    issuingState: prepared.document.issuingState,
    expiryDate: prepared.document.expiryDate ?? '',
  };
}

/** A provider chosen from the code list brings its address, which the officer may still change. */
export function withProvider(form: FormState, provider: CodeListEntry | undefined, label: string): FormState {
  if (!provider) return { ...form, providerCode: '', providerName: '' };
  const extra = provider.extra ?? {};
  const text = (key: string): string => (typeof extra[key] === 'string' ? extra[key] : '');
  const address = { street: text('street'), houseNumber: text('houseNumber'), postcode: text('postcode'), place: text('place'), municipality: text('municipality') };
  const hasAddress = address.place !== '' && address.municipality !== '';
  return { ...form, providerCode: provider.code, providerName: label, ...(hasAddress ? address : {}) };
}

/** A planned departure that many days after the arrival's date; '' while either is incomplete. */
export function departureAfter(arrival: string, stayDays: string): string {
  if (!/^\d{1,3}$/.test(stayDays) || arrival.length < 10) return '';
  try {
    return addDays(arrival.slice(0, 10), Number(stayDays));
  } catch (error) {
    if (error instanceof TimeError) return '';
    throw error;
  }
}

/** The days between the arrival's date and the planned departure, for the helper field. */
export function daysOfStay(arrival: string, departure: string): string {
  if (arrival.length < 10 || !/^\d{4}-\d{2}-\d{2}$/.test(departure)) return '';
  try {
    const days = daysBetween(arrival.slice(0, 10), departure);
    return days >= 0 ? String(days) : '';
  } catch (error) {
    // An impossible date typed by hand (2026-02-31): the helper stays empty, main names the field on saving.
    if (error instanceof TimeError) return '';
    throw error;
  }
}

function present(value: string): string | undefined {
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** The request main checks; empty optional fields are left out rather than sent as ''. */
export function formRequest(form: FormState): RegistrationForm {
  const street = present(form.street);
  const houseNumber = present(form.houseNumber);
  const postcode = present(form.postcode);
  const expiryDate = present(form.expiryDate);
  return {
    person: {
      surname: form.surname.trim(),
      givenNames: form.givenNames.trim(),
      sex: form.sex === '' ? 'X' : form.sex,
      birthDate: form.birthDate.trim(),
      nationality: form.nationality.trim().toUpperCase(),
    },
    document: {
      documentCode: form.documentCode.trim().toUpperCase(),
      documentNumber: form.documentNumber,
      issuingState: form.issuingState.trim().toUpperCase(),
      ...(expiryDate ? { expiryDate } : {}),
    },
    address: {
      ...(street ? { street } : {}),
      ...(houseNumber ? { houseNumber } : {}),
      ...(postcode ? { postcode } : {}),
      place: form.place.trim(),
      municipality: form.municipality.trim(),
    },
    accommodation:
      form.accommodationType === 'commercial'
        ? { type: 'commercial', providerName: form.providerName, ...(form.providerCode ? { providerId: form.providerCode } : {}) }
        : { type: 'private', hostName: form.hostName.trim(), hostIdNumber: form.hostIdNumber.trim() },
    arrivalAt: arrivalMs(form.arrival) ?? Number.NaN,
    plannedDepartureDate: form.plannedDepartureDate,
    purposeCode: form.purposeCode,
  };
}

/** A stored registration back in the form, for an amendment. */
export function formOf(registration: Registration): FormState {
  const { accommodation, address } = registration;
  return {
    surname: registration.person.surname,
    givenNames: registration.person.givenNames,
    sex: registration.person.sex,
    birthDate: registration.person.birthDate,
    nationality: registration.person.nationality,
    documentCode: registration.document.documentCode,
    documentNumber: registration.document.documentNumber,
    issuingState: registration.document.issuingState,
    expiryDate: registration.document.expiryDate ?? '',
    accommodationType: accommodation.type,
    providerCode: accommodation.type === 'commercial' ? (accommodation.providerId ?? '') : '',
    providerName: accommodation.type === 'commercial' ? accommodation.providerName : '',
    hostName: accommodation.type === 'private' ? accommodation.hostName : '',
    hostIdNumber: accommodation.type === 'private' ? accommodation.hostIdNumber : '',
    street: address.street ?? '',
    houseNumber: address.houseNumber ?? '',
    postcode: address.postcode ?? '',
    place: address.place,
    municipality: address.municipality,
    arrival: localDateTime(registration.arrivalAt),
    stayDays: daysOfStay(localDateTime(registration.arrivalAt), registration.plannedDepartureDate),
    plannedDepartureDate: registration.plannedDepartureDate,
    purposeCode: registration.purposeCode,
  };
}

/** The parts of the form that differ from the stored registration: what an amendment sends. */
export function changedParts(before: RegistrationForm, after: RegistrationForm): Partial<RegistrationForm> {
  const changes: Partial<Record<keyof RegistrationForm, unknown>> = {};
  for (const key of Object.keys(after) as (keyof RegistrationForm)[]) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) changes[key] = after[key];
  }
  return changes as Partial<RegistrationForm>;
}

/**
 * The fields still to fill, in the order the form shows them: the focus goes to the
 * first after a scan, and Enter moves on to the next (or saves when none is left).
 */
export function emptyFields(form: FormState): FieldName[] {
  const required: FieldName[] = ['surname', 'sex', 'nationality', 'documentCode', 'documentNumber', 'issuingState'];
  if (form.accommodationType === 'commercial') required.push('providerCode');
  else required.push('hostName', 'hostIdNumber');
  required.push('place', 'municipality', 'arrival');
  // The days helper stands for the departure: typing the days is the short way.
  required.push(form.plannedDepartureDate === '' ? 'stayDays' : 'plannedDepartureDate');
  required.push('purposeCode');
  return required.filter((field) => form[field].trim() === '');
}

/**
 * The deadline and lateness the station's rules give if the form were saved now: the same
 * rule main applies on saving (domain/stay registrationDeadline), shown while the officer
 * fills the form. Null while arrival or departure are incomplete.
 */
export function deadlineIfSavedNow(form: FormState, now: number, rules: Rules): RegistrationDeadline | null {
  const arrivedAt = arrivalMs(form.arrival);
  if (arrivedAt === null || !/^\d{4}-\d{2}-\d{2}$/.test(form.plannedDepartureDate)) return null;
  try {
    const arrived = isoInstant(arrivedAt);
    const plannedStayDays = daysBetween(calendarDayOf(arrived), form.plannedDepartureDate);
    if (plannedStayDays < 0) return null;
    return registrationDeadline({ arrivedAt: arrived, accommodation: form.accommodationType, plannedStayDays, registeredAt: isoInstant(now) }, rules);
  } catch (error) {
    // A date the rules cannot read (typed by hand, half finished): no preview until it is complete.
    if (error instanceof TimeError || error instanceof StayError) return null;
    throw error;
  }
}
