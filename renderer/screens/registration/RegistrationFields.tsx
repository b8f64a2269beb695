import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocale } from '../../i18n/init';
import { CodePicker, type PickerEntry } from './CodePicker';
import { codeListLabel } from './code-list-label';
import { departureAfter, daysOfStay, withProvider, type FieldName, type FormState, type CodeListEntry } from './registration-form';

/** Where the screen keeps each field's element, to move the focus to the next empty one. */
export type FieldElements = Partial<Record<FieldName, HTMLInputElement | HTMLSelectElement | null>>;

interface FieldsProps {
  form: FormState;
  /** Applies a change to the form as it is at that moment (several can come before a render). */
  onChange: (change: (form: FormState) => FormState) => void;
  providers: readonly CodeListEntry[];
  purposes: readonly CodeListEntry[];
  elements: FieldElements;
  /** Fields main refused on the last save (their paths mapped to form fields). */
  invalid: ReadonlySet<FieldName>;
}

function Field({ id, label, children }: { id: string; label: string; children: ReactNode }) {
  return (
    <div className="registration-field">
      <label htmlFor={id}>{label}</label>
      {children}
    </div>
  );
}

/**
 * The counter form's fields: person and document (filled by the scan), host or provider,
 * address of stay, dates and purpose. Every field has a label; the ids are the field
 * names, which the tests and the focus handling use.
 */
export function RegistrationFields({ form, onChange, providers, purposes, elements, invalid }: FieldsProps) {
  const { t } = useTranslation();
  const locale = useLocale();
  const text = (field: FieldName, label: string, extra: { autoComplete?: string; maxLength?: number; placeholder?: string } = {}) => (
    <Field id={`registration-${field}`} label={label}>
      <input
        id={`registration-${field}`}
        name={field}
        value={form[field]}
        ref={(element) => {
          elements[field] = element;
        }}
        aria-invalid={invalid.has(field) || undefined}
        autoComplete="off"
        spellCheck={false}
        maxLength={extra.maxLength}
        placeholder={extra.placeholder}
        onChange={(event) => {
          const value = event.target.value;
          onChange((current) => ({ ...current, [field]: value }));
        }}
      />
    </Field>
  );
  const setProvider = (code: string) => {
    const provider = providers.find((entry) => entry.code === code);
    // The provider's registered name (English label: a proper name) goes into the record.
    onChange((current) => (code === current.providerCode && !provider ? current : withProvider(current, provider, provider ? provider.labels.en : '')));
  };
  const setArrival = (arrival: string) =>
    onChange((current) => ({ ...current, arrival, plannedDepartureDate: current.stayDays ? departureAfter(arrival, current.stayDays) || current.plannedDepartureDate : current.plannedDepartureDate }));
  const setStayDays = (stayDays: string) => onChange((current) => ({ ...current, stayDays, plannedDepartureDate: departureAfter(current.arrival, stayDays) }));
  const setDeparture = (plannedDepartureDate: string) => onChange((current) => ({ ...current, plannedDepartureDate, stayDays: daysOfStay(current.arrival, plannedDepartureDate) }));
  // A stored registration's provider that the list no longer has is still shown by its stored name.
  const providerEntries: PickerEntry[] = providers.map((entry) => ({ code: entry.code, label: codeListLabel(entry.labels, locale), aliases: [entry.labels.en] }));
  if (form.providerCode !== '' && !providers.some((entry) => entry.code === form.providerCode)) providerEntries.unshift({ code: form.providerCode, label: form.providerName });
  const purposeEntries: PickerEntry[] = purposes.map((entry) => ({ code: entry.code, label: codeListLabel(entry.labels, locale), aliases: [entry.labels.en] }));
  if (form.purposeCode !== '' && !purposes.some((entry) => entry.code === form.purposeCode)) purposeEntries.unshift({ code: form.purposeCode, label: form.purposeCode });

  return (
    <>
      <fieldset className="registration-group">
        <legend>{t('registration.person')}</legend>
        {text('surname', t('registration.surname'), { maxLength: 80 })}
        {text('givenNames', t('registration.givenNames'), { maxLength: 80 })}
        <Field id="registration-sex" label={t('registration.sex')}>
          <select
            id="registration-sex"
            name="sex"
            value={form.sex}
            ref={(element) => {
              elements.sex = element;
            }}
            aria-invalid={invalid.has('sex') || undefined}
            onChange={(event) => {
              const sex = event.target.value as FormState['sex'];
              onChange((current) => ({ ...current, sex }));
            }}
          >
            <option value="">{t('registration.choose')}</option>
            <option value="F">{t('registration.sexF')}</option>
            <option value="M">{t('registration.sexM')}</option>
            <option value="X">{t('registration.sexX')}</option>
          </select>
        </Field>
        {text('birthDate', t('registration.birthDate'), { maxLength: 10, placeholder: t('registration.datePlaceholder') })}
        {text('nationality', t('registration.nationality'), { maxLength: 3 })}
      </fieldset>

      <fieldset className="registration-group">
        <legend>{t('registration.document')}</legend>
        {text('documentCode', t('registration.documentCode'), { maxLength: 2 })}
        {text('documentNumber', t('registration.documentNumber'), { maxLength: 40 })}
        {text('issuingState', t('registration.issuingState'), { maxLength: 3 })}
        {text('expiryDate', t('registration.expiryDate'), { maxLength: 10, placeholder: t('registration.datePlaceholder') })}
      </fieldset>

      <fieldset className="registration-group">
        <legend>{t('registration.accommodation')}</legend>
        <div className="registration-choice" role="radiogroup" aria-label={t('registration.accommodation')}>
          <label>
            <input type="radio" name="accommodationType" value="commercial" checked={form.accommodationType === 'commercial'} onChange={() => onChange((current) => ({ ...current, accommodationType: 'commercial' }))} />
            {t('registration.commercial')}
          </label>
          <label>
            <input type="radio" name="accommodationType" value="private" checked={form.accommodationType === 'private'} onChange={() => onChange((current) => ({ ...current, accommodationType: 'private' }))} />
            {t('registration.private')}
          </label>
        </div>
        {form.accommodationType === 'commercial' ? (
          <Field id="registration-providerCode" label={t('registration.provider')}>
            <CodePicker
              id="registration-providerCode"
              name="providerCode"
              label={t('registration.provider')}
              entries={providerEntries}
              code={form.providerCode}
              onPick={setProvider}
              inputRef={(element) => {
                elements.providerCode = element;
              }}
              invalid={invalid.has('providerCode')}
            />
            {providers.length === 0 && <p className="registration-hint">{t('registration.noProviders')}</p>}
          </Field>
        ) : (
          <>
            {text('hostName', t('registration.hostName'), { maxLength: 120 })}
            {text('hostIdNumber', t('registration.hostIdNumber'), { maxLength: 30 })}
          </>
        )}
      </fieldset>

      <fieldset className="registration-group">
        <legend>{t('registration.address')}</legend>
        {text('street', t('registration.street'), { maxLength: 100 })}
        {text('houseNumber', t('registration.houseNumber'), { maxLength: 20 })}
        {text('postcode', t('registration.postcode'), { maxLength: 10 })}
        {text('place', t('registration.place'), { maxLength: 100 })}
        {text('municipality', t('registration.municipality'), { maxLength: 100 })}
      </fieldset>

      <fieldset className="registration-group">
        <legend>{t('registration.period')}</legend>
        <Field id="registration-arrival" label={t('registration.arrival')}>
          <input
            id="registration-arrival"
            name="arrival"
            maxLength={16}
            placeholder={t('registration.dateTimePlaceholder')}
            autoComplete="off"
            value={form.arrival}
            ref={(element) => {
              elements.arrival = element;
            }}
            aria-invalid={invalid.has('arrival') || undefined}
            onChange={(event) => setArrival(event.target.value)}
          />
        </Field>
        <Field id="registration-stayDays" label={t('registration.stayDays')}>
          <input
            id="registration-stayDays"
            name="stayDays"
            inputMode="numeric"
            maxLength={3}
            autoComplete="off"
            value={form.stayDays}
            ref={(element) => {
              elements.stayDays = element;
            }}
            onChange={(event) => setStayDays(event.target.value.replace(/\D/g, ''))}
          />
        </Field>
        <Field id="registration-plannedDepartureDate" label={t('registration.plannedDeparture')}>
          <input
            id="registration-plannedDepartureDate"
            name="plannedDepartureDate"
            maxLength={10}
            placeholder={t('registration.datePlaceholder')}
            autoComplete="off"
            value={form.plannedDepartureDate}
            ref={(element) => {
              elements.plannedDepartureDate = element;
            }}
            aria-invalid={invalid.has('plannedDepartureDate') || undefined}
            onChange={(event) => setDeparture(event.target.value)}
          />
        </Field>
        <Field id="registration-purposeCode" label={t('registration.purpose')}>
          <CodePicker
            id="registration-purposeCode"
            name="purposeCode"
            label={t('registration.purpose')}
            entries={purposeEntries}
            code={form.purposeCode}
            onPick={(purposeCode) => onChange((current) => ({ ...current, purposeCode }))}
            inputRef={(element) => {
              elements.purposeCode = element;
            }}
            invalid={invalid.has('purposeCode')}
          />
        </Field>
      </fieldset>
    </>
  );
}
