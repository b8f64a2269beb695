import { useTranslation } from 'react-i18next';
import type { RequestInput } from '../../../main/api/types';

/** The visa the traveller presents at entry, as the officer fills it in. */
export interface VisaForm {
  presented: boolean;
  visaNumber: string;
  issuingState: string;
  category: string;
  validFrom: string;
  validUntil: string;
  entries: 'single' | 'double' | 'multiple';
  durationOfStayDays: string;
}

export const emptyVisa: VisaForm = { presented: false, visaNumber: '', issuingState: 'BIH', category: 'C', validFrom: '', validUntil: '', entries: 'multiple', durationOfStayDays: '' };

/** The visa as main takes it: its details only when every field is filled in. */
export function visaInput(visa: VisaForm): RequestInput<'crossings.prepare'>['visa'] {
  if (!visa.presented) return { presented: false };
  const days = Number(visa.durationOfStayDays);
  const complete = visa.visaNumber.trim() !== '' && visa.validFrom !== '' && visa.validUntil !== '' && Number.isInteger(days) && days > 0;
  if (!complete) return { presented: true };
  return {
    presented: true,
    details: {
      visaNumber: visa.visaNumber.trim().toUpperCase().replace(/[\s-]/g, ''),
      issuingState: visa.issuingState.trim().toUpperCase(),
      category: visa.category.trim().toUpperCase(),
      validFrom: visa.validFrom,
      validUntil: visa.validUntil,
      entries: visa.entries,
      durationOfStayDays: days,
    },
  };
}

/**
 * A date field as text (YYYY-MM-DD), as on every form where a reader may fire: a date
 * input takes keys for itself, so a zone read into it would be lost and its digits left
 * in the date.
 */
export function dateTextProps(placeholder: string) {
  return { maxLength: 10, placeholder, inputMode: 'numeric' as const, spellCheck: false };
}

/** The visa's fields, shown when the officer ticks that one was presented. */
export function VisaFields({ visa, onChange }: { visa: VisaForm; onChange: (visa: VisaForm) => void }) {
  const { t } = useTranslation();
  const dateText = dateTextProps(t('registration.datePlaceholder'));
  return (
    <div className="border-row border-visa">
      <label>
        {t('border.visaNumber')}
        <input value={visa.visaNumber} onChange={(event) => onChange({ ...visa, visaNumber: event.target.value })} />
      </label>
      <label>
        {t('border.visaIssuingState')}
        <input value={visa.issuingState} maxLength={3} size={4} onChange={(event) => onChange({ ...visa, issuingState: event.target.value })} />
      </label>
      <label>
        {t('border.visaCategory')}
        <input value={visa.category} maxLength={4} size={4} onChange={(event) => onChange({ ...visa, category: event.target.value })} />
      </label>
      <label>
        {t('border.visaValidFrom')}
        <input {...dateText} value={visa.validFrom} onChange={(event) => onChange({ ...visa, validFrom: event.target.value.trim() })} />
      </label>
      <label>
        {t('border.visaValidUntil')}
        <input {...dateText} value={visa.validUntil} onChange={(event) => onChange({ ...visa, validUntil: event.target.value.trim() })} />
      </label>
      <label>
        {t('border.visaEntries')}
        <select value={visa.entries} onChange={(event) => onChange({ ...visa, entries: event.target.value as VisaForm['entries'] })}>
          <option value="single">{t('border.entriesSingle')}</option>
          <option value="double">{t('border.entriesDouble')}</option>
          <option value="multiple">{t('border.entriesMultiple')}</option>
        </select>
      </label>
      <label>
        {t('border.visaDays')}
        <input inputMode="numeric" maxLength={3} size={4} value={visa.durationOfStayDays} onChange={(event) => onChange({ ...visa, durationOfStayDays: event.target.value.trim() })} />
      </label>
    </div>
  );
}
