import { useLayoutEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { RequestInput } from '../../../main/api/types';

type Source = RequestInput<'crossings.prepare'>['source'];

/** The data page as the officer types it when a document has no readable zone. */
export interface TypedDocumentForm {
  surname: string;
  givenNames: string;
  sex: 'F' | 'M' | 'X';
  birthDate: string;
  nationality: string;
  documentCode: string;
  documentNumber: string;
  issuingState: string;
  expiryDate: string;
}

export const emptyTypedDocument: TypedDocumentForm = {
  surname: '',
  givenNames: '',
  sex: 'F',
  birthDate: '',
  nationality: '',
  documentCode: 'P',
  documentNumber: '',
  issuingState: '',
  expiryDate: '',
};

/** What main checks: the typed page as person and document (main validates every field and names the one it refuses). */
export function typedSource(form: TypedDocumentForm): Source {
  const upper = (value: string) => value.trim().toUpperCase();
  return {
    person: { surname: form.surname.trim(), givenNames: form.givenNames.trim(), sex: form.sex, birthDate: form.birthDate.trim(), nationality: upper(form.nationality) },
    document: {
      documentCode: upper(form.documentCode),
      documentNumber: form.documentNumber.trim(),
      issuingState: upper(form.issuingState),
      ...(form.expiryDate.trim() ? { expiryDate: form.expiryDate.trim() } : {}),
    },
  };
}

/** The typed data page: plain text fields (dates as YYYY-MM-DD), so a keyboard-wedge reader never loses a key here. */
export function TypedDocumentFields({ form, onChange }: { form: TypedDocumentForm; onChange: (form: TypedDocumentForm) => void }) {
  const { t } = useTranslation();
  const firstField = useRef<HTMLInputElement>(null);
  // The officer starts with the surname: focused as the fields appear, in the same commit,
  // so that no key typed right after the shortcut lands anywhere else.
  useLayoutEffect(() => {
    firstField.current?.focus();
  }, []);
  const text = (name: Exclude<keyof TypedDocumentForm, 'sex'>, label: string, extra: { maxLength?: number; placeholder?: string } = {}) => (
    <label>
      {label}
      <input
        name={name}
        ref={name === 'surname' ? firstField : undefined}
        value={form[name]}
        onChange={(event) => onChange({ ...form, [name]: event.target.value })}
        spellCheck={false}
        data-testid={`border-typed-${name}`}
        {...extra}
      />
    </label>
  );
  return (
    <fieldset className="border-typed" data-testid="border-typed">
      <legend>{t('border.typedTitle')}</legend>
      <div className="border-row">
        {text('surname', t('border.surname'))}
        {text('givenNames', t('border.givenNames'))}
        <label>
          {t('border.sex')}
          <select name="sex" value={form.sex} onChange={(event) => onChange({ ...form, sex: event.target.value as TypedDocumentForm['sex'] })} data-testid="border-typed-sex">
            <option value="F">{t('border.sexF')}</option>
            <option value="M">{t('border.sexM')}</option>
            <option value="X">{t('border.sexX')}</option>
          </select>
        </label>
        {text('birthDate', t('border.birthDate'), { placeholder: 'YYYY-MM-DD' })}
        {text('nationality', t('border.nationality'), { maxLength: 3 })}
      </div>
      <div className="border-row">
        {text('documentCode', t('border.documentCode'), { maxLength: 2 })}
        {text('documentNumber', t('border.documentNumber'))}
        {text('issuingState', t('border.issuingState'), { maxLength: 3 })}
        {text('expiryDate', t('border.expiryDate'), { placeholder: 'YYYY-MM-DD' })}
      </div>
    </fieldset>
  );
}
