import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningWebApp } from '../../main/web/start';
import { seriousAxeViolations } from '../support/axe';
import { launchChromium } from '../support/browser';
import { admittedCrossing, entryBan, passportLines, type SyntheticTraveller } from '../support/synthetic-people';
import { startWebStation } from '../support/web-station';

const STATION = 'BIH-E2E-09';
const PASSWORD = 'the queue at the border post';
const DAY = 86_400_000;
const screenshotDir = join(process.cwd(), 'dist', 'test-artifacts');

/** Synthetic travellers (never real people). */
const ADMITTED: SyntheticTraveller = { surname: 'SYNTHETICA', givenNames: 'MARA', number: 'X1234567', nationality: 'SRB', birthDate: '1985-04-02', sex: 'M' };
const OVERSTAYER: SyntheticTraveller = { surname: 'TESTOVIC', givenNames: 'JOVAN', number: 'X7654321', nationality: 'SRB', birthDate: '1990-01-15', sex: 'M' };
const BANNED: SyntheticTraveller = { surname: 'SYNTHETICUS', givenNames: 'PETAR', number: 'U7654321', nationality: 'UTO', birthDate: '1979-11-23', sex: 'M' };

function passport(traveller: SyntheticTraveller): string[] {
  return passportLines(traveller, '2034-05-01');
}

function isoDay(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

describe('border control in a real Chromium: entry with fingerprints, exit with overstay, refusal with two reasons', () => {
  let browser: Browser;
  let webApp: RunningWebApp;
  let page: Page;
  const pageErrors: string[] = [];

  const database = () => webApp.main.services.store()!.database;
  const auditActions = async () => (await database().audit.find({ sort: [{ sequence: 'asc' }] }).exec()).map((entry) => entry.action);

  beforeAll(async () => {
    mkdirSync(screenshotDir, { recursive: true });
    webApp = await startWebStation({
      stationId: STATION,
      officer: { id: 'e2e-border-9', name: 'Synthetic Border Officer', username: 'border.nine', badgeNumber: 'G-9009', role: 'officer' },
      password: PASSWORD,
      devices: {
        devices: [
          { id: 'wedge', label: 'Desk reader (keyboard)', protocol: 'mrz-keyboard-wedge', address: { transport: 'keyboard-wedge' }, enabled: true },
          { id: 'fingers', label: 'Fingerprint scanner (simulated ZFM)', protocol: 'zfm', address: { transport: 'simulator', scenario: 'normal' }, enabled: true },
        ],
      },
      async seed(db) {
        const now = Date.now();
        await db.stations.insert({ id: STATION, name: 'Synthetic Border Post Nine', kind: 'border-crossing', municipality: 'Synthetic Municipality', crossingPointCode: 'SBP9', updatedAt: now });
        await db.codeLists.bulkInsert(
          [
            ['SRB', 'visa-free'],
            ['UTO', 'visa-required'],
          ].map(([code, regime]) => ({ id: `visaRegimes|${code}`, list: 'visaRegimes', code: code!, labels: { en: code! }, extra: { regime: regime! }, updatedAt: now })),
        );
        await db.alerts.insert(entryBan('alert-e2e-ban', BANNED));
        // The overstayer entered here 120 days ago and never left: 121 days on the day of exit.
        const enteredAt = now - 120 * DAY;
        await db.crossings.insert(admittedCrossing(OVERSTAYER, { direction: 'entry', occurredAt: enteredAt, stationId: STATION, authority: 'Synthetic Border Post Nine', officerId: 'e2e-border-9' }));
      },
    });
    browser = await launchChromium();
    page = await browser.newPage({ locale: 'en-US', viewport: { width: 1280, height: 1000 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(webApp.shell.url);
    await page.waitForSelector('[data-testid="login-form"]', { timeout: 15_000 });
    await page.fill('input[name="username"]', 'border.nine');
    await page.fill('input[name="password"]', PASSWORD);
    await page.press('input[name="password"]', 'Enter');
    // A border crossing's station opens on border control.
    await page.waitForSelector('[data-testid="screen-border"]', { timeout: 15_000 });
    await page.waitForSelector('[data-testid="nav-border"][aria-current="page"]');
  });

  afterAll(async () => {
    await browser?.close();
    await webApp?.stop();
  });

  it('admits an entry read by a keyboard-wedge burst, with four fingers from the simulated scanner', async () => {
    // The reader types the zone in a burst, wherever the focus is.
    await page.focus('[data-testid="border-mrz"]');
    for (const line of passport(ADMITTED)) {
      await page.keyboard.type(line, { delay: 3 });
      await page.keyboard.press('Enter');
    }
    await page.waitForSelector('[data-testid="border-surname"]:has-text("SYNTHETICA")', { timeout: 15_000 });
    // The focus waits on the planned departure: the officer types it and runs the checks again.
    await page.fill('[data-testid="border-planned-departure"]', isoDay(Date.now() + 10 * DAY), { timeout: 8_000 });
    await page.keyboard.press('Alt+KeyR');
    await page.waitForSelector('[data-testid="border-check"][data-code="VISA_NOT_REQUIRED"]', { timeout: 9_000 });
    const codes = await page.$$eval('[data-testid="border-check"]', (nodes) => nodes.map((node) => `${node.getAttribute('data-code')}:${node.getAttribute('data-severity')}`));
    expect(codes).toEqual(['DOCUMENT_ISSUE_DATE_UNKNOWN:info', 'VISA_NOT_REQUIRED:info', 'STAY_DAYS_USED:info', 'FINGERPRINTS_REQUIRED:info', 'WATCHLIST_CLEAR:info']);
    expect(await page.textContent('[data-testid="border-days-used"]')).toBe('1');
    expect(await page.textContent('[data-testid="border-days-left"]')).toBe('79');

    // Saving without the fingers is stopped on the screen.
    await page.keyboard.press('Alt+KeyA');
    await page.waitForSelector('[data-testid="border-problem"]:has-text("Capture the four fingers")');
    await page.waitForSelector('[data-testid="border-fingerprints"][data-required="required"] [data-testid="border-capture-next"]', { timeout: 15_000 });
    for (const finger of [2, 3, 4, 5]) {
      await page.keyboard.press('Alt+KeyF');
      await page.waitForSelector(`[data-testid="border-finger-${finger}"][data-captured="true"]`, { timeout: 20_000 });
      expect(await page.textContent(`[data-testid="border-finger-${finger}-quality"]`)).toMatch(/^Quality \d+/);
    }
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(screenshotDir, 'border-en.png'), fullPage: true });

    await page.keyboard.press('Alt+KeyA');
    await page.waitForSelector('[data-testid="border-saved-message"]:has-text("Saved")', { timeout: 15_000 });
    const id = await page.getAttribute('[data-testid="border-saved"]', 'data-crossing-id');
    const stored = await database().crossings.findOne(id!).exec();
    expect(stored?.toJSON()).toMatchObject({ direction: 'entry', decision: { outcome: 'admitted' }, crossingPointId: STATION, authority: 'Synthetic Border Post Nine', correctsId: '' });
    const fingers = await database().biometrics.find({ selector: { recordId: id! } }).exec();
    expect(fingers.map((finger) => finger.capture.fingerPosition).sort()).toEqual([2, 3, 4, 5]);
    expect(await auditActions()).toEqual([
      'login',
      'person.lookup',
      'person.lookup',
      'fingerprint.capture',
      'fingerprint.capture',
      'fingerprint.capture',
      'fingerprint.capture',
      'crossing.create',
      'biometric.create',
      'biometric.create',
      'biometric.create',
      'biometric.create',
    ]);
  });

  it('shows the overstay of a traveller leaving 121 days after entering, and records the exit', async () => {
    await page.keyboard.press('Alt+KeyN');
    await page.keyboard.press('Alt+KeyX');
    await page.waitForSelector('[data-testid="screen-border"][data-direction="exit"]');
    // Next traveller after a saved record: the zone field is back, and has the focus.
    expect(await page.evaluate('document.activeElement && document.activeElement.getAttribute("data-testid")')).toBe('border-mrz');
    await page.fill('[data-testid="border-mrz"]', passport(OVERSTAYER).join('\n'));
    await page.keyboard.press('Alt+KeyR');
    await page.waitForSelector('[data-testid="border-check"][data-code="STAY_OVERSTAY"]', { timeout: 15_000 });
    expect(await page.textContent('[data-testid="border-check"][data-code="STAY_OVERSTAY"]')).toContain('Overstayed by 31 days');
    expect(await page.textContent('[data-testid="border-overstay-days"]')).toBe('31');
    expect(await page.textContent('[data-testid="border-days-used"]')).toBe('121');
    // The panel names the station's rule (the defaults here).
    expect(await page.textContent('#border-stay-title')).toBe('90 days in 180');
    // No refusal on exit.
    expect(await page.$('[data-testid="border-refuse"]')).toBeNull();
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.click('[data-testid="border-without-fingerprints"]');
    await page.keyboard.press('Alt+KeyA');
    await page.waitForSelector('[data-testid="border-saved-message"]:has-text("Saved")', { timeout: 15_000 });
    const id = await page.getAttribute('[data-testid="border-saved"]', 'data-crossing-id');
    const stored = (await database().crossings.findOne(id!).exec())!;
    expect(stored.direction).toBe('exit');
    expect(stored.checks).toContainEqual({ check: 'stay.overstay', severity: 'warning', outcome: 'failed' });
  });

  it('records an exit from a typed data page when the document has no readable zone', async () => {
    await page.keyboard.press('Alt+KeyN');
    await page.keyboard.press('Alt+KeyX');
    await page.waitForSelector('[data-testid="screen-border"][data-direction="exit"]');
    // Keyboard only, keys typed at once after the shortcut: the surname field has the focus
    // as soon as it is there; back to the zone, so has the zone field (a reader's scan).
    // (Keys this fast are held by the keyboard-wedge detector and given back to the field
    // that had the focus at the first of them, up to 50 ms later: hence the polls.)
    await page.keyboard.press('Alt+KeyT');
    await page.keyboard.type('Pr');
    await expect.poll(() => page.inputValue('[data-testid="border-typed-surname"]')).toBe('Pr');
    await page.keyboard.press('Alt+KeyT');
    await page.keyboard.type('P<HRV');
    await expect.poll(() => page.inputValue('[data-testid="border-mrz"]')).toBe('P<HRV');
    await page.keyboard.press('Alt+KeyT');
    await page.waitForSelector('[data-testid="border-typed"]');
    expect(await page.evaluate('document.activeElement && document.activeElement.getAttribute("data-testid")')).toBe('border-typed-surname');
    await page.keyboard.type('Primjerović');
    await page.fill('[data-testid="border-typed-givenNames"]', 'Ana');
    await page.selectOption('[data-testid="border-typed-sex"]', 'F');
    await page.fill('[data-testid="border-typed-birthDate"]', '1991-06-30');
    await page.fill('[data-testid="border-typed-nationality"]', 'hrv');
    await page.fill('[data-testid="border-typed-documentCode"]', 'ID');
    await page.fill('[data-testid="border-typed-documentNumber"]', 'hr 4471-09');
    await page.fill('[data-testid="border-typed-issuingState"]', 'HRV');
    await page.fill('[data-testid="border-typed-expiryDate"]', '2030-02-28');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.keyboard.press('Alt+KeyR');
    await page.waitForSelector('[data-testid="border-traveller"]', { timeout: 15_000 });
    expect(await page.textContent('[data-testid="border-traveller"]')).toContain('Primjerović');
    // No zone was read, so there is no zone to check.
    expect(await page.$('[data-testid="border-check"][data-code="MRZ_INVALID"]')).toBeNull();

    await page.click('[data-testid="border-without-fingerprints"]');
    await page.keyboard.press('Alt+KeyA');
    await page.waitForSelector('[data-testid="border-saved-message"]:has-text("Saved")', { timeout: 15_000 });
    const id = await page.getAttribute('[data-testid="border-saved"]', 'data-crossing-id');
    const stored = (await database().crossings.findOne(id!).exec())!;
    expect(stored.direction).toBe('exit');
    expect(stored.person).toMatchObject({ surname: 'Primjerović', givenNames: 'Ana', nationality: 'HRV', birthDate: '1991-06-30' });
    // Kept canonical, as every document number is, so that searches find it whatever the spacing typed.
    expect(stored.document).toMatchObject({ documentCode: 'ID', documentNumber: 'HR447109', issuingState: 'HRV' });
  });

  it('refuses entry with two reasons, shows and prints the refusal form, and corrects it with a linked record', async () => {
    await page.keyboard.press('Alt+KeyN');
    await page.keyboard.press('Alt+KeyE');
    await page.waitForSelector('[data-testid="screen-border"][data-direction="entry"]');
    await page.fill('[data-testid="border-mrz"]', passport(BANNED).join('\n'));
    await page.keyboard.press('Alt+KeyR');
    await page.waitForSelector('[data-testid="border-check"][data-code="WATCHLIST_HIT"][data-severity="block"]', { timeout: 15_000 });
    await page.waitForSelector('[data-testid="border-check"][data-code="VISA_REQUIRED"][data-severity="block"]');
    // The reasons the checks suggest start ticked, and stay the officer's to change.
    expect(await page.isChecked('[data-testid="border-reason-C"]')).toBe(true);
    expect(await page.isChecked('[data-testid="border-reason-H"]')).toBe(true);
    expect(await page.isChecked('[data-testid="border-reason-A"]')).toBe(false);

    await page.click('[data-testid="border-without-fingerprints"]');
    await page.keyboard.press('Alt+KeyD');
    await page.waitForSelector('[data-testid="refusal-form"]', { timeout: 15_000 });
    expect(await page.textContent('[data-testid="border-saved-message"]')).toBe('Saved: refusal of entry recorded.');
    const ticked = await page.$$eval('[data-testid^="refusal-form-reason-"][data-ticked="true"]', (nodes) => nodes.map((node) => node.getAttribute('data-testid')));
    expect(ticked).toEqual(['refusal-form-reason-C', 'refusal-form-reason-H']);
    expect(await page.textContent('[data-testid="refusal-form-crossing-point"]')).toBe('Synthetic Border Post Nine (SBP9)');
    expect(await page.textContent('[data-testid="refusal-form-surname"]')).toBe('SYNTHETICUS');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(screenshotDir, 'border-refusal-form-en.png'), fullPage: true });
    // Printed, only the form is on the page.
    await page.emulateMedia({ media: 'print' });
    expect(await page.isVisible('[data-testid="refusal-form"]')).toBe(true);
    expect(await page.isVisible('[data-testid="border-saved"]')).toBe(false);
    expect(await page.isVisible('[data-testid="border-checks"]')).toBe(false);
    await page.emulateMedia({ media: 'screen' });

    const id = (await page.getAttribute('[data-testid="border-saved"]', 'data-crossing-id'))!;
    expect((await database().crossings.findOne(id).exec())?.decision).toEqual({ outcome: 'refused', reasons: ['C', 'H'] });

    // A third reason was forgotten: the correction is a new record naming this one.
    await page.keyboard.press('Alt+KeyC');
    await page.selectOption('[data-testid="border-correction-reason"]', 'wrong-refusal-reasons');
    await page.check('[data-testid="border-correction-reason-I"]');
    await page.keyboard.press('Alt+KeyS');
    await page.waitForSelector('[data-testid="border-corrects"]', { timeout: 15_000 });
    const correctionId = (await page.getAttribute('[data-testid="border-saved"]', 'data-crossing-id'))!;
    expect(correctionId).not.toBe(id);
    expect((await database().crossings.findOne(correctionId).exec())?.toJSON()).toMatchObject({ correctsId: id, decision: { outcome: 'refused', reasons: ['C', 'H', 'I'] } });
    expect((await database().crossings.findOne(id).exec())?.decision).toEqual({ outcome: 'refused', reasons: ['C', 'H'] });
    expect((await auditActions()).slice(-3)).toEqual(['crossing.create', 'biometric.create', 'crossing.correct']);
  });

  it('shows the checks in Serbian Cyrillic', async () => {
    await page.keyboard.press('Alt+KeyN');
    await page.fill('[data-testid="border-mrz"]', passport(BANNED).join('\n'));
    await page.keyboard.press('Alt+KeyR');
    await page.waitForSelector('[data-testid="border-check"][data-code="WATCHLIST_HIT"]', { timeout: 15_000 });
    await page.selectOption('[data-testid="language-select"]', 'sr-Cyrl');
    await page.waitForSelector('html[lang="sr-Cyrl"]', { state: 'attached', timeout: 15_000 });
    expect(await page.textContent('#screen-title')).toBe('Гранична контрола');
    expect(await page.textContent('[data-testid="border-check"][data-code="VISA_REQUIRED"] .border-check__severity')).toBe('Спречава улазак');
    // The explanation too is worded from the check's facts, the dates as Serbian writes them, not the rules' English.
    const daysUsed = await page.textContent('[data-testid="border-check"][data-code="STAY_DAYS_USED"] .border-check__explanation');
    expect(daysUsed).toMatch(/^Искоришћен је 1 од 90 дана у 180 дана до уласка \d{1,2}\. [\u0400-\u04FF]+ \d{4}\./);
    expect(daysUsed).not.toMatch(/[A-Za-z]/);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(screenshotDir, 'border-sr-Cyrl.png'), fullPage: true });
    await page.selectOption('[data-testid="language-select"]', 'en');
    expect(pageErrors).toEqual([]);
  });

  it('reads a zone a reader types while the focus waits on the planned departure, and leaves the date alone', async () => {
    await page.keyboard.press('Alt+KeyN');
    await page.fill('[data-testid="border-mrz"]', passport(ADMITTED).join('\n'));
    await page.keyboard.press('Alt+KeyR');
    await page.waitForSelector('[data-testid="border-surname"]:has-text("SYNTHETICA")', { timeout: 15_000 });
    await expect.poll(() => page.evaluate<string | null>("document.activeElement ? document.activeElement.getAttribute('data-testid') : null")).toBe('border-planned-departure');
    // The next passport on the reader, before the officer typed a date: a date input would
    // have taken the keys for itself, lost the reading and kept the zone's digits as a date.
    for (const line of passport(OVERSTAYER)) {
      await page.keyboard.type(line, { delay: 3 });
      await page.keyboard.press('Enter');
    }
    await page.waitForSelector('[data-testid="border-surname"]:has-text("TESTOVIC")', { timeout: 15_000 });
    expect(await page.inputValue('[data-testid="border-planned-departure"]')).toBe('');
    expect(pageErrors).toEqual([]);
  });
});
