import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stxEtxFrame } from '../../devices/simulators/mrz-serial-simulator';
import { openPseudoTerminal, type PseudoTerminal } from '../../devices/serial/pseudo-terminal';
import { buildMrz, type MrzBuildInput } from '../../domain/mrz';
import { alertRecord, codeListEntryId, newCrossing, newRegistration, type CodeListEntry } from '../../domain/records';
import { addDays } from '../../domain/time';
import type { StationDatabase } from '../../main/services/station-store';
import type { RunningWebApp } from '../../main/web/start';
import { seriousAxeViolations } from '../support/axe';
import { launchChromium } from '../support/browser';
import { startWebStation } from '../support/web-station';

const PASSWORD = 'counter desk by the window';
const STATION_ID = 'BIH-E2E-REG';
const OFFICER = { id: 'e2e-registrar', name: 'Synthetic Registration Officer', username: 'registrar.one', badgeNumber: 'B-4001', role: 'officer' as const };
const screenshotDir = join(process.cwd(), 'dist', 'test-artifacts');

/** Synthetic travellers (never anyone's documents). */
const PETAR: MrzBuildInput = {
  format: 'TD3',
  documentCode: 'P',
  issuingState: 'HRV',
  surname: 'PRIMJEROVIC',
  givenNames: 'PETAR',
  documentNumber: 'XH4127095',
  nationality: 'HRV',
  birthDate: '1988-03-14',
  sex: 'M',
  expiryDate: '2031-06-30',
};
const JELENA: MrzBuildInput = {
  format: 'TD1',
  documentCode: 'ID',
  issuingState: 'SRB',
  surname: 'UZORAK',
  givenNames: 'JELENA',
  documentNumber: 'SR0044871',
  nationality: 'SRB',
  birthDate: '1992-11-02',
  sex: 'F',
  expiryDate: '2029-01-15',
};

function zoneOf(document: MrzBuildInput): string[] {
  const built = buildMrz(document);
  if (!built.ok) throw new Error(`the test document does not lay out: ${built.error.message}`);
  return built.lines;
}

function entry(list: string, code: string, labels: CodeListEntry['labels'], extra?: CodeListEntry['extra']): CodeListEntry {
  return { id: codeListEntryId(list, code), list, code, labels, ...(extra ? { extra } : {}), updatedAt: Date.now() };
}

/** The station's reference data, Petar's earlier registration and crossing, and an entry ban on Jelena. */
async function seed(database: StationDatabase): Promise<void> {
  const now = Date.now();
  await database.stations.insert({ id: STATION_ID, name: 'Police Station Centar (test)', kind: 'police-station', municipality: 'Centar Sarajevo', updatedAt: now });
  await database.codeLists.bulkInsert([
    entry('purposes', 'BUSINESS', { en: 'Business', bs: 'Posao', hr: 'Posao', srLatn: 'Posao', srCyrl: 'Посао' }),
    entry('purposes', 'FAMILY', { en: 'Family visit', bs: 'Posjeta porodici', hr: 'Posjet obitelji', srLatn: 'Poseta porodici', srCyrl: 'Посета породици' }),
    entry('purposes', 'TOURISM', { en: 'Tourism', bs: 'Turizam', hr: 'Turizam', srLatn: 'Turizam', srCyrl: 'Туризам' }),
    entry(
      'accommodationProviders',
      'HOSTEL-KAPIJA',
      { en: 'Hostel Kapija', srCyrl: 'Хостел Капија' },
      { street: 'Sarači', houseNumber: '12', postcode: '71000', place: 'Sarajevo', municipality: 'Stari Grad Sarajevo' },
    ),
    entry('accommodationProviders', 'HOTEL-EUROPA', { en: 'Hotel Europa', srCyrl: 'Хотел Европа' }, { street: 'Vladislava Skarića', houseNumber: '5', postcode: '71000', place: 'Sarajevo', municipality: 'Centar Sarajevo' }),
  ]);
  const lastYear = now - 400 * 24 * 3_600_000;
  const person = { surname: PETAR.surname, givenNames: PETAR.givenNames, sex: 'M' as const, birthDate: PETAR.birthDate, nationality: PETAR.nationality };
  const document = { documentCode: 'P', documentNumber: PETAR.documentNumber, issuingState: PETAR.issuingState, expiryDate: PETAR.expiryDate };
  await database.registrations.insert(
    newRegistration(
      {
        person,
        document,
        address: { street: 'Ferhadija', houseNumber: '3', place: 'Sarajevo', municipality: 'Stari Grad Sarajevo' },
        accommodation: { type: 'private', hostName: 'Synthetic Host', hostIdNumber: '0101990170001' },
        arrivalAt: lastYear,
        plannedDepartureDate: addDays(new Date(lastYear).toISOString().slice(0, 10), 6),
        purposeCode: 'FAMILY',
      },
      { stationId: STATION_ID, officerId: 'e2e-earlier-officer', at: lastYear + 3_600_000 },
    ),
  );
  await database.crossings.insert(
    newCrossing(
      { direction: 'entry', decision: { outcome: 'admitted' }, authority: 'Border Police (test)', crossingPointId: 'BIH-BCP-TEST', occurredAt: lastYear - 3_600_000, person, document, checks: [] },
      { stationId: 'BIH-BCP-TEST', officerId: 'e2e-border-officer', at: lastYear - 3_600_000 },
    ),
  );
  await database.alerts.insert(
    alertRecord({
      id: 'e2e-alert-uzorak',
      kind: 'entry-ban',
      surname: JELENA.surname,
      givenNames: JELENA.givenNames,
      birthDate: JELENA.birthDate,
      nationality: JELENA.nationality,
      documentNumber: '',
      issuingState: '',
      validFrom: '2020-01-01',
      issuingAuthority: 'Service for Foreigners Affairs (test)',
      updatedAt: now,
    }),
  );
}

describe('counter registration in a real Chromium: a keyboard-wedge scan, a serial scan, amend and cancel', () => {
  let browser: Browser;
  let webApp: RunningWebApp;
  let pty: PseudoTerminal;
  let page: Page;
  const pageErrors: string[] = [];

  /** Every key the officer presses after the scan, counted. */
  let keystrokes = 0;
  const press = async (key: string) => {
    keystrokes += 1;
    await page.keyboard.press(key);
  };
  // Evaluated as text: this file is compiled for Node, without the DOM's types.
  const focusedField = () => page.evaluate<string>("document.activeElement ? document.activeElement.id : ''");
  const registrations = async () => (await webApp.main.services.store()!.database.registrations.find().exec()).map((document) => document.toJSON());

  beforeAll(async () => {
    mkdirSync(screenshotDir, { recursive: true });
    pty = await openPseudoTerminal();
    webApp = await startWebStation({
      stationId: STATION_ID,
      officer: OFFICER,
      password: PASSWORD,
      devices: {
        devices: [
          { id: 'wedge', label: 'Desk reader (keyboard)', protocol: 'mrz-keyboard-wedge', address: { transport: 'keyboard-wedge' }, enabled: true },
          { id: 'serial', label: 'Passport reader (serial)', protocol: 'mrz-stx-etx', address: { transport: 'serial', path: pty.path, baudRate: 9600, parity: 'none', dataBits: 8, stopBits: 1 }, enabled: true },
        ],
      },
      seed,
    });
    browser = await launchChromium();
    page = await browser.newPage({ locale: 'en-US', viewport: { width: 1280, height: 1000 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(webApp.shell.url);
    await page.waitForSelector('[data-testid="login-form"]', { timeout: 15_000 });
    await page.fill('input[name="username"]', OFFICER.username);
    await page.fill('input[name="password"]', PASSWORD);
    await page.press('input[name="password"]', 'Enter');
    await page.waitForSelector('[data-testid="nav-status"]', { timeout: 15_000 });
    // Both readers ready (the keyboard-wedge listener is mounted once its device is), then back to the counter.
    await page.keyboard.press('Alt+4');
    await page.waitForSelector('[data-testid="nav-status"][aria-current="page"]');
    await page.waitForSelector('[data-testid="device-wedge"][data-state="ready"]', { timeout: 15_000 });
    await page.waitForSelector('[data-testid="device-serial"][data-state="ready"]', { timeout: 15_000 });
    await page.keyboard.press('Alt+1');
    await page.waitForSelector('[data-testid="registration-form"]', { timeout: 15_000 });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await webApp?.stop();
    await pty?.close();
  });

  it('fills the form from a keyboard-wedge burst, takes the rest from the keyboard, and says saved once the record is stored', async () => {
    expect(await seriousAxeViolations(page)).toEqual([]);
    // The reader misreads one digit of the birth date: the engine corrects it and says so.
    const [line1, line2] = zoneOf(PETAR);
    const misread = `${line2!.slice(0, 13)}B${line2!.slice(14)}`;
    expect(misread).not.toBe(line2);
    for (const line of [line1!, misread]) {
      await page.keyboard.type(line, { delay: 3 });
      await page.keyboard.press('Enter');
    }
    await page.waitForSelector(`[data-testid="registration-form"][data-document-number="${PETAR.documentNumber}"]`, { timeout: 15_000 });
    // The checks beside the form come from main's lookups, a moment after the form.
    await page.waitForSelector(`[data-testid="registration-watchlist"][data-document-number="${PETAR.documentNumber}"]`, { timeout: 15_000 });
    expect(await page.inputValue('#registration-surname')).toBe('PRIMJEROVIC');
    expect(await page.inputValue('#registration-birthDate')).toBe('1988-03-14');
    expect(await page.textContent('[data-testid="registration-corrections"]')).toContain('read “B”, corrected to “8” (birthDate)');
    expect(await page.getAttribute('[data-testid="registration-earlier"]', 'data-registrations')).toBe('1');
    expect(await page.getAttribute('[data-testid="registration-earlier"]', 'data-crossings')).toBe('1');
    expect(await page.getAttribute('[data-testid="registration-watchlist"]', 'data-hits')).toBe('0');
    expect(await page.textContent('[data-testid="registration-watchlist"]')).toContain('No alert matches');

    // The focus is on the first field to fill; "e" finds Hotel Europa, whose address comes with it.
    expect(await focusedField()).toBe('registration-providerCode');
    keystrokes = 0;
    await press('e');
    await press('Enter');
    expect(await focusedField()).toBe('registration-stayDays');
    expect(await page.inputValue('#registration-municipality')).toBe('Centar Sarajevo');
    await press('5');
    await press('Enter');
    expect(await focusedField()).toBe('registration-purposeCode');
    await press('t');
    await page.waitForSelector('#registration-purposeCode[data-code="TOURISM"]');
    expect(await page.getAttribute('[data-testid="registration-deadline"]', 'data-status')).toBe('registered-on-time');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(screenshotDir, 'registration-en.png'), fullPage: true });

    await press('Enter');
    const saved = await page.waitForSelector('[data-testid="registration-saved"]', { timeout: 15_000 });
    // Six keys besides the scan: e, Enter, 5, Enter, t, Enter.
    expect(keystrokes).toBe(6);
    const id = await saved.getAttribute('data-id');
    const stored = (await registrations()).find((registration) => registration.id === id);
    expect(stored).toMatchObject({
      status: 'active',
      revisionNumber: 1,
      officerId: OFFICER.id,
      person: { surname: 'PRIMJEROVIC', givenNames: 'PETAR', birthDate: '1988-03-14', nationality: 'HRV' },
      document: { documentNumber: 'XH4127095', issuingState: 'HRV' },
      accommodation: { type: 'commercial', providerName: 'Hotel Europa', providerId: 'HOTEL-EUROPA' },
      address: { street: 'Vladislava Skarića', municipality: 'Centar Sarajevo' },
      purposeCode: 'TOURISM',
    });
    const arrivalDay = await page.evaluate((at) => {
      const day = new Date(at);
      return `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, '0')}-${String(day.getDate()).padStart(2, '0')}`;
    }, stored!.arrivalAt);
    expect(stored!.plannedDepartureDate).toBe(addDays(arrivalDay, 5));

    // The confirmation, in English and Bosnian, alone on paper.
    expect(await page.textContent('[data-testid="confirmation-id"]')).toBe(id);
    const confirmation = await page.textContent('[data-testid="registration-confirmation"]');
    expect(confirmation).toContain('Confirmation of registration of stay');
    expect(confirmation).toContain('Potvrda o prijavi boravka');
    expect(confirmation).toContain('Synthetic Registration Officer (B-4001)');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(screenshotDir, 'registration-confirmation-en.png'), fullPage: true });
    await page.evaluate('window.printed = 0; window.print = () => { window.printed += 1; }');
    await page.keyboard.press('Alt+P');
    expect(await page.evaluate('window.printed')).toBe(1);
    await page.emulateMedia({ media: 'print' });
    expect(await page.isVisible('[data-testid="registration-confirmation"]')).toBe(true);
    expect(await page.isVisible('[data-testid="registration-saved"]')).toBe(false);
    expect(await page.isVisible('[data-testid="frame-bar"]')).toBe(false);
    await page.emulateMedia({ media: 'screen' });
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('fills the form from the serial reader in Serbian Cyrillic and shows the watchlist hit', async () => {
    await page.keyboard.press('Alt+N');
    await page.selectOption('[data-testid="language-select"]', 'sr-Cyrl');
    await page.waitForSelector('html[lang="sr-Cyrl"]', { state: 'attached', timeout: 15_000 });
    await pty.write(stxEtxFrame(zoneOf(JELENA)));
    await page.waitForSelector(`[data-testid="registration-form"][data-document-number="${JELENA.documentNumber}"]`, { timeout: 15_000 });
    await page.waitForSelector(`[data-testid="registration-watchlist"][data-document-number="${JELENA.documentNumber}"]`, { timeout: 15_000 });
    expect(await page.textContent('#screen-title')).toBe('Пријава боравка на шалтеру');
    expect(await page.getAttribute('[data-testid="registration-watchlist"]', 'data-hits')).toBe('1');
    expect(await page.textContent('[data-testid="registration-watchlist"]')).toContain('забрана уласка');
    // Which fields agree with the alert, in the officer's language (the comparison's English detail stays folded away).
    expect(await page.textContent('[data-testid="registration-watchlist"] li p')).toBe('Подудара се са упозорењем: презиме, име, датум рођења и држављанство.');
    expect(await page.getAttribute('[data-testid="registration-earlier"]', 'data-registrations')).toBe('0');
    expect(await focusedField()).toBe('registration-providerCode');

    // A Latin key finds the provider by its English name; the label shows in Cyrillic.
    await page.keyboard.press('k');
    // The keyboard-wedge listener holds a key until it knows it is not a reader's (up to 50 ms).
    await page.waitForSelector('#registration-providerCode[data-code="HOSTEL-KAPIJA"]');
    expect(await page.textContent('#registration-providerCode-options [aria-selected="true"]')).toBe('Хостел Капија');
    await page.keyboard.press('Enter');
    expect(await page.inputValue('#registration-providerCode')).toBe('Хостел Капија');
    await page.keyboard.press('2');
    await page.keyboard.press('Enter');
    await page.keyboard.press('b');
    await page.waitForSelector('#registration-purposeCode[data-code="BUSINESS"]');
    // A stay at a hostel is registered within 12 hours of arrival, however short.
    expect(await page.getAttribute('[data-testid="registration-deadline"]', 'data-status')).toBe('registered-on-time');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(screenshotDir, 'registration-sr-Cyrl.png'), fullPage: true });
    await page.keyboard.press('Alt+S');
    const saved = await page.waitForSelector('[data-testid="registration-saved"]', { timeout: 15_000 });
    const jelena = (await registrations()).filter((registration) => registration.document.documentNumber === JELENA.documentNumber);
    expect(jelena).toHaveLength(1);
    expect(jelena[0]!.id).toBe(await saved.getAttribute('data-id'));
    expect(jelena[0]).toMatchObject({ accommodation: { providerName: 'Hostel Kapija' }, address: { municipality: 'Stari Grad Sarajevo' }, purposeCode: 'BUSINESS' });
    expect(await page.textContent('[data-testid="registration-confirmation"]')).toContain('Confirmation of registration of stay');
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('amends and cancels with a reason, explains a conflict in words, and shows the history', async () => {
    await page.selectOption('[data-testid="language-select"]', 'en');
    await page.waitForSelector('html[lang="en"]', { state: 'attached', timeout: 15_000 });
    const id = await page.getAttribute('[data-testid="registration-saved"]', 'data-id');
    expect(id).toBeTruthy();

    await page.keyboard.press('Alt+E');
    await page.waitForSelector('[data-testid="screen-registration"][data-view="amend"]');
    await page.fill('#registration-stayDays', '4');
    await page.keyboard.press('Alt+S');
    await page.waitForSelector('[data-testid="registration-saved"]:has-text("Amendment saved")', { timeout: 15_000 });
    expect(await page.getAttribute('[data-testid="registration-history"]', 'data-revision')).toBe('2');
    let stored = (await registrations()).find((registration) => registration.id === id)!;
    expect(stored).toMatchObject({ revisionNumber: 2, status: 'amended' });

    // Another officer changes it meanwhile: the cancellation from revision 2 is refused, in words.
    await webApp.main.services.registrations.amend('e2e-other-officer', id!, 2, { purposeCode: 'TOURISM' });
    await page.keyboard.press('Alt+X');
    await page.waitForSelector('#registration-cancel-reason');
    await page.keyboard.type('Registered twice by mistake');
    await page.keyboard.press('Alt+S');
    await page.waitForSelector('[data-testid="registration-conflict"]', { timeout: 15_000 });
    expect(await page.getAttribute('[data-testid="registration-error"]', 'data-code')).toBe('CONFLICT');
    // What the code means in the officer's language, then main's own words.
    expect(await page.textContent('[data-testid="registration-error"] strong')).toBe('The record was changed meanwhile.');
    expect(await page.textContent('[data-testid="registration-conflict"]')).toContain('Someone changed this registration after you opened it');
    expect((await registrations()).find((registration) => registration.id === id)!.status).toBe('amended');

    await page.keyboard.press('Alt+O');
    await page.waitForSelector('[data-testid="registration-history"][data-revision="3"]', { timeout: 15_000 });
    expect(await page.textContent('[data-testid="registration-history"]')).toContain('Last changed by e2e-other-officer');
    await page.keyboard.press('Alt+X');
    await page.waitForSelector('#registration-cancel-reason');
    // The reason typed before the conflict is still there: the officer only confirms.
    expect(await page.inputValue('#registration-cancel-reason')).toBe('Registered twice by mistake');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.keyboard.press('Alt+S');
    await page.waitForSelector('[data-testid="registration-saved"]:has-text("Cancellation saved")', { timeout: 15_000 });
    expect(await page.getAttribute('[data-testid="registration-history"]', 'data-status')).toBe('cancelled');
    expect(await page.textContent('[data-testid="confirmation-cancellation"]')).toContain('Registered twice by mistake');
    stored = (await registrations()).find((registration) => registration.id === id)!;
    expect(stored).toMatchObject({ status: 'cancelled', revisionNumber: 4, cancellation: { reason: 'Registered twice by mistake', cancelledBy: OFFICER.id } });
    // A cancelled registration offers neither amend nor cancel.
    expect(await page.$('[data-testid="registration-amend"]')).toBeNull();

    const actions = (await webApp.main.services.store()!.database.audit.find({ sort: [{ sequence: 'asc' }] }).exec()).map((entry) => entry.action);
    expect(actions.filter((action) => action.startsWith('registration.') || action === 'person.lookup')).toEqual([
      'person.lookup',
      'registration.create',
      'person.lookup',
      'registration.create',
      'registration.amend',
      'registration.amend',
      'registration.view',
      'registration.cancel',
    ]);
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
