import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeviceReadingView, DevicesStatus } from '../../../main/api/contract';
import type { ApiErrorValue } from '../../../main/api/errors';
import type { RequestInput, RequestOutput } from '../../../main/api/types';
import { parseMrz } from '../../../domain/mrz';
import { useDeviceStateLabels } from '../../app/DevicesPanel';
import { LanguageSwitcher } from '../../app/LanguageSwitcher';
import { useRulesInForce } from '../../app/station-rules';
import { useStatusStore } from '../../state/status-store';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { Kbd, useShortcut } from '../../ui/shortcuts';
import type { ScreenProps } from '../screen-props';
import { useTestReadings } from './test-readings';
import './settings.css';

type DeviceSettings = RequestInput<'devices.configure'>;
type DeviceSetting = DeviceSettings['devices'][number];
type Discovery = RequestOutput<'devices.available'>;
type FingerCapture = RequestOutput<'devices.captureFinger'>;

/** The protocols the station's drivers speak, by the kind of device (devices/registry.ts). */
const protocolsByTransport: Record<DeviceSetting['address']['transport'], string[]> = {
  serial: ['mrz-stx-etx', 'mrz-soh-bcc', 'mrz-json', 'zfm', 'gt521'],
  hid: ['mrz-hid-pos'],
  'keyboard-wedge': ['mrz-keyboard-wedge'],
  simulator: ['training'],
  'vendor-sdk': [],
};

function defaultAddress(transport: DeviceSetting['address']['transport']): DeviceSetting['address'] {
  switch (transport) {
    case 'serial':
      return { transport, path: '', baudRate: 9600, parity: 'none', dataBits: 8, stopBits: 1 };
    case 'hid':
      return { transport, vendorId: 0, productId: 0 };
    case 'vendor-sdk':
      return { transport, sdk: '', options: {} };
    default:
      return { transport };
  }
}

/** Which rules the station works by: the defaults, or an entry of the rules code list (and whether it loaded). */
function useRulesText(bridge: ScreenProps['bridge']): string | null {
  const { t } = useTranslation();
  const rules = useRulesInForce(bridge);
  if (!rules) return null;
  if (rules.entry === null) return t('settings.rulesDefault');
  return rules.problem ? t('settings.rulesProblem', { entry: rules.entry }) : t('settings.rulesEntry', { entry: rules.entry });
}

function StationDetails({ bridge, station }: Pick<ScreenProps, 'bridge' | 'station'>) {
  const { t } = useTranslation();
  const status = useStatusStore((state) => state.status);
  const rules = useRulesText(bridge);
  const kinds = { 'police-station': t('settings.policeStation'), 'border-crossing': t('settings.borderCrossing') };
  const rows: [testId: string, label: string, value: string][] = [
    ['id', t('settings.stationId'), station?.stationId ?? t('settings.notProvisioned')],
    ['name', t('settings.stationName'), station?.name ?? t('settings.notPulled')],
    ['kind', t('settings.stationKind'), station?.kind ? kinds[station.kind] : t('settings.notPulled')],
    ['municipality', t('settings.municipality'), station?.municipality ?? t('settings.notPulled')],
    ['crossing-point', t('settings.crossingPoint'), station?.crossingPointCode ?? '—'],
    ['server', t('settings.server'), status?.server.url ?? t('settings.notProvisioned')],
    ['store', t('settings.store'), status?.store.location ?? '—'],
    ['version', t('settings.version'), status?.version ?? '—'],
    ['rules', t('settings.rules'), rules ?? '—'],
  ];
  return (
    <section className="settings__section" aria-labelledby="settings-station">
      <h3 id="settings-station">{t('settings.station')}</h3>
      <dl className="settings__details">
        {rows.map(([testId, label, value]) => (
          <div key={testId}>
            <dt>{label}</dt>
            <dd data-testid={`settings-${testId}`}>{value}</dd>
          </div>
        ))}
      </dl>
      <p className="settings__hint">{t('settings.stationHint')}</p>
    </section>
  );
}

/** One device's settings, as a fieldset of labelled fields. */
function DeviceEditor({ device, discovery, onChange, onRemove }: { device: DeviceSetting; discovery: Discovery | null; onChange: (device: DeviceSetting) => void; onRemove: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const { address } = device;
  const protocols = protocolsByTransport[address.transport];
  const portsId = `${id}-ports`;
  return (
    <fieldset className="settings__device" data-testid={`device-settings-${device.id || 'new'}`}>
      <legend>{device.label || t('settings.newDevice')}</legend>
      <label>
        {t('settings.deviceId')}
        <input name="id" value={device.id} onChange={(event) => onChange({ ...device, id: event.target.value })} required pattern="[a-z0-9][a-z0-9\-]{0,39}" />
      </label>
      <label>
        {t('settings.deviceLabel')}
        <input name="label" value={device.label} onChange={(event) => onChange({ ...device, label: event.target.value })} required maxLength={80} />
      </label>
      <label>
        {t('settings.transport')}
        <select name="transport" value={address.transport} onChange={(event) => {
          const transport = event.target.value as DeviceSetting['address']['transport'];
          onChange({ ...device, address: defaultAddress(transport), protocol: protocolsByTransport[transport][0] ?? device.protocol });
        }}>
          <option value="serial">{t('settings.transportSerial')}</option>
          <option value="hid">{t('settings.transportHid')}</option>
          <option value="keyboard-wedge">{t('settings.transportWedge')}</option>
          <option value="simulator">{t('settings.transportSimulator')}</option>
        </select>
      </label>
      <label>
        {t('settings.protocol')}
        {protocols.length > 0 ? (
          <select name="protocol" value={device.protocol} onChange={(event) => onChange({ ...device, protocol: event.target.value })}>
            {protocols.map((protocol) => (
              <option key={protocol} value={protocol}>
                {protocol}
              </option>
            ))}
          </select>
        ) : (
          <input name="protocol" value={device.protocol} onChange={(event) => onChange({ ...device, protocol: event.target.value })} required />
        )}
      </label>
      {address.transport === 'serial' && (
        <>
          <label>
            {t('settings.serialPort')}
            <input name="path" list={portsId} value={address.path} onChange={(event) => onChange({ ...device, address: { ...address, path: event.target.value } })} required />
            <datalist id={portsId}>
              {discovery?.serial.ports.map((port) => (
                <option key={port.path} value={port.byId ?? port.path}>
                  {[port.manufacturer, port.path].filter(Boolean).join(' · ')}
                </option>
              ))}
            </datalist>
          </label>
          <label>
            {t('settings.baudRate')}
            <select name="baudRate" value={address.baudRate} onChange={(event) => onChange({ ...device, address: { ...address, baudRate: Number(event.target.value) } })}>
              {[9600, 19200, 38400, 57600, 115200].map((rate) => (
                <option key={rate} value={rate}>
                  {rate}
                </option>
              ))}
            </select>
          </label>
        </>
      )}
      {address.transport === 'hid' && (
        <>
          <label>
            {t('settings.vendorId')}
            <input name="vendorId" value={address.vendorId.toString(16).padStart(4, '0')} onChange={(event) => onChange({ ...device, address: { ...address, vendorId: Number.parseInt(event.target.value || '0', 16) || 0 } })} pattern="[0-9a-fA-F]{1,4}" />
          </label>
          <label>
            {t('settings.productId')}
            <input name="productId" value={address.productId.toString(16).padStart(4, '0')} onChange={(event) => onChange({ ...device, address: { ...address, productId: Number.parseInt(event.target.value || '0', 16) || 0 } })} pattern="[0-9a-fA-F]{1,4}" />
          </label>
        </>
      )}
      <label className="settings__checkbox">
        <input type="checkbox" name="enabled" checked={device.enabled} onChange={(event) => onChange({ ...device, enabled: event.target.checked })} />
        {t('settings.enabled')}
      </label>
      <button type="button" onClick={onRemove} data-testid="remove-device">
        {t('settings.removeDevice')}
      </button>
    </fieldset>
  );
}

/** A reader's last document or a scanner's last finger, read here to see that the device works (nothing is saved). */
function TestRead({ bridge, device, reading }: { bridge: ScreenProps['bridge']; device: DevicesStatus['devices'][number]; reading: DeviceReadingView | undefined }) {
  const { t } = useTranslation();
  const [capture, setCapture] = useState<FingerCapture | null>(null);
  const [error, setError] = useState<ApiErrorValue | null>(null);
  const [busy, setBusy] = useState(false);
  if (device.kind === 'fingerprint-scanner') {
    const capture15 = async () => {
      setBusy(true);
      setError(null);
      const result = await bridge.request('devices.captureFinger', { deviceId: device.id, timeoutMs: 15_000 });
      setBusy(false);
      if (result.ok) setCapture(result.value);
      else setError(result.error);
    };
    return (
      <div className="settings__test" data-testid={`test-read-${device.id}`}>
        <button type="button" disabled={busy || device.state !== 'ready'} onClick={() => void capture15()}>
          {busy ? t('settings.waitingForFinger') : t('settings.testCapture')}
        </button>
        {capture && (
          <p data-testid="test-capture">
            <img src={`data:image/png;base64,${capture.pngBase64}`} width={capture.width / 2} height={capture.height / 2} alt={t('settings.fingerImage')} />
            {t('settings.quality', { quality: Math.round(capture.quality) })}
          </p>
        )}
        <ErrorBanner error={error} />
      </div>
    );
  }
  if (!reading) return <p className="settings__test">{t('settings.presentDocument')}</p>;
  const parsed = parseMrz(reading.text);
  return (
    <p className="settings__test" data-testid={`test-read-${device.id}`} data-valid={String(parsed.ok && parsed.document.valid)}>
      {parsed.ok
        ? t('settings.readOk', { documentNumber: parsed.document.fields.documentNumber, issuingState: parsed.document.fields.issuingState, framing: reading.framing })
        : t('settings.readFailed', { code: parsed.error.code })}
    </p>
  );
}

/**
 * Settings for IT staff (admin role): the station's details, the interface language and
 * script, and the readers and scanners: their state, their settings (devices.json) and a
 * test read. Documents read while this screen is open stay here as test reads.
 */
export function SettingsScreen({ bridge, station }: ScreenProps) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<DevicesStatus | null>(null);
  const [draft, setDraft] = useState<DeviceSettings | null>(null);
  const [discovery, setDiscovery] = useState<Discovery | null>(null);
  const [error, setError] = useState<ApiErrorValue | null>(null);
  const [saved, setSaved] = useState(false);
  const [saving, setSaving] = useState(false);
  const readings = useTestReadings(bridge);

  useEffect(() => bridge.subscribe('devices.statusChanges', {}, setStatus, setError), [bridge]);
  useEffect(() => {
    void bridge.request('devices.settings', {}).then((result) => (result.ok ? setDraft(result.value) : setError(result.error)));
    void bridge.request('devices.available', {}).then((result) => result.ok && setDiscovery(result.value));
  }, [bridge]);

  const save = async (event?: FormEvent) => {
    event?.preventDefault();
    if (!draft || saving) return;
    setSaving(true);
    setSaved(false);
    setError(null);
    const result = await bridge.request('devices.configure', draft);
    setSaving(false);
    if (result.ok) setSaved(true);
    else setError(result.error);
  };
  useShortcut('Alt+S', () => void save());

  const change = (index: number, device: DeviceSetting) => {
    setSaved(false);
    setDraft((current) => current && { devices: current.devices.map((each, at) => (at === index ? device : each)) });
  };
  const stateLabels = useDeviceStateLabels();
  return (
    <section className="screen settings" aria-labelledby="screen-title" data-testid="screen-settings">
      <h2 id="screen-title">{t('nav.settings')}</h2>
      <StationDetails bridge={bridge} station={station} />

      <section className="settings__section" aria-labelledby="settings-language">
        <h3 id="settings-language">{t('settings.languageAndScript')}</h3>
        <LanguageSwitcher testId="settings-language-select" />
        <p className="settings__hint">{t('settings.languageHint')}</p>
      </section>

      <section className="settings__section" aria-labelledby="settings-devices">
        <h3 id="settings-devices">{t('settings.devices')}</h3>
        {status?.problem && <p className="banner banner--error">{status.problem}</p>}
        <table className="settings__device-states" data-testid="device-states">
          <thead>
            <tr>
              <th scope="col">{t('settings.device')}</th>
              <th scope="col">{t('settings.state')}</th>
              <th scope="col">{t('settings.testRead')}</th>
            </tr>
          </thead>
          <tbody>
            {status?.devices.map((device) => (
              <tr key={device.id} data-testid={`device-state-${device.id}`} data-state={device.state}>
                <td>
                  {device.label} <span className="settings__muted">({device.protocol})</span>
                </td>
                <td>
                  {stateLabels[device.state]}
                  {device.detail && <span className="settings__muted"> · {device.detail}</span>}
                </td>
                <td>
                  {device.protocol === 'training' && device.state === 'ready' && (
                    <button type="button" onClick={() => void bridge.request('devices.presentTraining', { deviceId: device.id })}>
                      {t('devices.presentTraining')}
                    </button>
                  )}
                  <TestRead bridge={bridge} device={device} reading={readings[device.id]} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {(discovery?.serial.problem || discovery?.hid.problem) && (
          <p className="settings__hint" data-testid="discovery-problems">
            {[discovery.serial.problem, discovery.hid.problem].filter(Boolean).join(' ')}
          </p>
        )}
        {draft && (
          <form onSubmit={(event) => void save(event)} data-testid="device-settings-form">
            {draft.devices.map((device, index) => (
              <DeviceEditor
                key={index}
                device={device}
                discovery={discovery}
                onChange={(changed) => change(index, changed)}
                onRemove={() => setDraft({ devices: draft.devices.filter((_, at) => at !== index) })}
              />
            ))}
            <div className="settings__actions">
              <button type="button" data-testid="add-device" onClick={() => setDraft({ devices: [...draft.devices, { id: '', label: '', protocol: 'mrz-stx-etx', address: defaultAddress('serial'), enabled: true }] })}>
                {t('settings.addDevice')}
              </button>
              <button type="submit" disabled={saving} data-testid="save-devices">
                {saving ? t('settings.saving') : t('settings.save')} <Kbd shortcut="Alt+S" />
              </button>
              {saved && (
                <span role="status" data-testid="devices-saved">
                  {t('settings.saved')}
                </span>
              )}
            </div>
          </form>
        )}
        <ErrorBanner error={error} />
      </section>
    </section>
  );
}
