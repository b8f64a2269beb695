import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeviceReadingView, DevicesStatus } from '../../main/api/contract';
import type { ApiErrorValue } from '../../main/api/errors';
import type { MisBridge } from '../../main/api/types';
import { parseMrz } from '../../domain/mrz';

/** The last document read, as the officer checks it: the fields, or why it could not be read. */
function LastReading({ reading }: { reading: DeviceReadingView }) {
  const { t } = useTranslation();
  const parsed = parseMrz(reading.text);
  if (!parsed.ok) {
    return (
      <p className="banner banner--error" role="alert" data-testid="last-reading" data-valid="false">
        {t('devices.unreadable', { code: parsed.error.code })}
      </p>
    );
  }
  const { fields, valid } = parsed.document;
  return (
    <div className="last-reading" data-testid="last-reading" data-valid={String(valid)}>
      <p>
        {fields.surname}, {fields.givenNames} · {fields.documentNumber} · {fields.issuingState}
        {valid ? '' : ` · ${t('devices.checkDigitsDiffer')}`}
      </p>
    </div>
  );
}

/** A device's state in the officer's words. */
export function useDeviceStateLabels(): Record<DevicesStatus['devices'][number]['state'], string> {
  const { t } = useTranslation();
  return {
    connecting: t('devices.connecting'),
    ready: t('devices.ready'),
    busy: t('devices.busy'),
    error: t('devices.error'),
    closed: t('devices.closed'),
    disabled: t('devices.disabled'),
  };
}

/** The station's readers and scanners with their states, and the last document read. */
export function DevicesPanel({ bridge }: { bridge: MisBridge }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<DevicesStatus | null>(null);
  const [reading, setReading] = useState<DeviceReadingView | null>(null);
  const [problem, setProblem] = useState<ApiErrorValue | null>(null);
  useEffect(() => bridge.subscribe('devices.statusChanges', {}, setStatus, setProblem), [bridge]);
  useEffect(() => bridge.subscribe('devices.readings', {}, setReading, setProblem), [bridge]);
  const stateLabels = useDeviceStateLabels();
  if (!status) return null;
  return (
    <section className="devices" aria-labelledby="devices-title" data-testid="devices-panel">
      <h2 id="devices-title">{t('devices.title')}</h2>
      {problem && <p className="banner banner--error">{problem.message}</p>}
      {status.problem && <p className="banner banner--error">{status.problem}</p>}
      {status.devices.length === 0 && !status.problem && <p>{t('devices.noneSetUp', { file: 'devices.json' })}</p>}
      {status.devices.length > 0 && <p data-testid="devices-count">{t('devices.count', { count: status.devices.length })}</p>}
      <ul className="devices__list">
        {status.devices.map((device) => (
          <li key={device.id} data-testid={`device-${device.id}`} data-state={device.state}>
            <strong>{device.label}</strong> · {stateLabels[device.state]}
            {device.detail && <span className="devices__detail"> · {device.detail}</span>}
            {device.retrying && <span> · {t('devices.retrying')}</span>}
            {device.protocol === 'training' && device.state === 'ready' && (
              <button type="button" onClick={() => void bridge.request('devices.presentTraining', { deviceId: device.id })}>
                {t('devices.presentTraining')}
              </button>
            )}
          </li>
        ))}
      </ul>
      {reading && <LastReading reading={reading} />}
    </section>
  );
}
