import { useTranslation } from 'react-i18next';
import type { RequestOutput } from '../../../main/api/types';
import { Kbd } from '../../ui/shortcuts';
import { LEFT_FINGERS, RIGHT_FINGERS, fingerLabel, type Prepared } from './border-texts';

export type FingerCapture = RequestOutput<'crossings.captureFinger'>;
export type Hand = 'right' | 'left';
export type Exemption = 'PHYSICALLY_IMPOSSIBLE' | 'SCANNER_UNAVAILABLE';

/** Below this the image is usually too poor to match later: the panel suggests a retake. */
const LOW_QUALITY = 40;

export interface FingerprintState {
  hand: Hand;
  scannerId: string;
  captures: Partial<Record<number, FingerCapture>>;
  /** The finger being captured now. */
  capturing: number | null;
  /** Why the fingers cannot be taken, when the officer says so. */
  exemption: Exemption | null;
}

export function fingersOf(hand: Hand): readonly number[] {
  return hand === 'right' ? RIGHT_FINGERS : LEFT_FINGERS;
}

/** Every finger of the hand captured with a template, or a stated reason why not: what the record may be saved with. */
export function fingerprintsComplete(state: FingerprintState): boolean {
  return state.exemption !== null || fingersOf(state.hand).every((position) => state.captures[position]?.usable === true);
}

/**
 * Four fingers (DOMAIN.md: of the right hand, of the left when missing), each taken on
 * the scanner with its quality shown and a retake; a child under 12 is exempt and the
 * panel says so, asking for nothing.
 */
export function FingerprintPanel({
  required,
  scanners,
  state,
  onChange,
  onCapture,
}: {
  required: Prepared['fingerprints'];
  scanners: { id: string; label: string }[];
  state: FingerprintState;
  onChange: (next: FingerprintState) => void;
  onCapture: (position: number) => void;
}) {
  const { t } = useTranslation();
  const fingers = fingersOf(state.hand);
  const nextFinger = fingers.find((position) => !state.captures[position]?.usable);
  return (
    <section className="border-panel" aria-labelledby="border-fingers-title" data-testid="border-fingerprints" data-required={required}>
      <h3 id="border-fingers-title">{t('border.fingerprintsTitle')}</h3>
      {required === 'exempt-under-12' && <p data-testid="border-fingerprints-exempt">{t('border.fingerprintsExempt')}</p>}
      {required === 'not-required' && <p>{t('border.fingerprintsNotRequired')}</p>}
      {(required === 'required' || required === 'age-uncertain') && (
        <>
          <p>{required === 'required' ? t('border.fingerprintsRequired') : t('border.fingerprintsAgeUncertain')}</p>
          <div className="border-row">
            {scanners.length === 0 ? (
              <p className="border-note" data-testid="border-no-scanner">
                {t('border.noScanner')}
              </p>
            ) : (
              <label>
                {t('border.scanner')}
                <select value={state.scannerId} onChange={(event) => onChange({ ...state, scannerId: event.target.value })}>
                  {scanners.map((scanner) => (
                    <option key={scanner.id} value={scanner.id}>
                      {scanner.label}
                    </option>
                  ))}
                </select>
              </label>
            )}
            <label>
              {t('border.hand')}
              <select value={state.hand} onChange={(event) => onChange({ ...state, hand: event.target.value as Hand, captures: {} })}>
                <option value="right">{t('border.rightHand')}</option>
                <option value="left">{t('border.leftHand')}</option>
              </select>
            </label>
            {scanners.length > 0 && nextFinger !== undefined && (
              <button type="button" onClick={() => onCapture(nextFinger)} disabled={state.capturing !== null} data-testid="border-capture-next">
                {t('border.captureNext')} <Kbd shortcut="Alt+F" />
              </button>
            )}
          </div>
          <ol className="border-fingers">
            {fingers.map((position) => {
              const capture = state.captures[position];
              const name = fingerLabel(position, t);
              return (
                <li key={position} className="border-finger" data-testid={`border-finger-${position}`} data-captured={capture ? 'true' : 'false'}>
                  <strong>{name}</strong>
                  {capture ? (
                    <img src={`data:image/png;base64,${capture.pngBase64}`} alt={t('border.fingerImage', { finger: name })} width={64} height={72} />
                  ) : (
                    <span className="border-finger__empty" aria-hidden="true" />
                  )}
                  <span className="border-finger__quality" data-testid={`border-finger-${position}-quality`}>
                    {state.capturing === position
                      ? t('border.capturing')
                      : capture
                        ? `${t('border.quality', { quality: capture.quality })}${!capture.usable ? ` — ${t('border.notUsable')}` : capture.quality < LOW_QUALITY ? ` — ${t('border.qualityLow')}` : ''}`
                        : t('border.notCaptured')}
                  </span>
                  {scanners.length > 0 && (
                    <button type="button" onClick={() => onCapture(position)} disabled={state.capturing !== null} aria-label={`${capture ? t('border.retake') : t('border.capture')}: ${name}`}>
                      {capture ? t('border.retake') : t('border.capture')}
                    </button>
                  )}
                </li>
              );
            })}
          </ol>
          <div className="border-row">
            <label className="border-check-label">
              <input
                type="checkbox"
                checked={state.exemption !== null}
                onChange={(event) => onChange({ ...state, exemption: event.target.checked ? (scanners.length === 0 ? 'SCANNER_UNAVAILABLE' : 'PHYSICALLY_IMPOSSIBLE') : null })}
                data-testid="border-without-fingerprints"
              />
              {t('border.withoutFingerprints')}
            </label>
            {state.exemption !== null && (
              <label>
                {t('border.withoutReason')}
                <select value={state.exemption} onChange={(event) => onChange({ ...state, exemption: event.target.value as Exemption })}>
                  <option value="PHYSICALLY_IMPOSSIBLE">{t('border.exemptPhysicallyImpossible')}</option>
                  <option value="SCANNER_UNAVAILABLE">{t('border.exemptScannerUnavailable')}</option>
                </select>
              </label>
            )}
          </div>
        </>
      )}
    </section>
  );
}
