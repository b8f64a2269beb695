import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Page } from 'playwright-core';
import { openPseudoTerminal } from '../devices/serial/pseudo-terminal';
import { stxEtxFrame, syntheticZones } from '../devices/simulators/mrz-serial-simulator';
import { parseMrz } from '../domain/mrz';
import { codeListEntryId, documentNumberKey } from '../domain/records';
import { launchChromium } from '../test/support/browser';
import { startWebStation } from '../test/support/web-station';
import { percentile } from './stats';

/**
 * From the last byte of a serial scan to the filled registration form in a real Chromium:
 * a web station with a serial MRZ reader on a pseudo-terminal (through the python3 relay,
 * one pipe hop a real reader does not have), the officer logged in on the counter screen.
 * For each synthetic document: the frame is written, the moment the write is handed over
 * is taken in Node, and the page records the moment the document number field holds the
 * document (a MutationObserver: the DOM is updated) and the next animation frame after it
 * (about when it is painted), and when the checks beside the form (watchlist, earlier
 * records: main's registrations.prepare) show it. Both clocks are the machine's wall clock
 * (performance.timeOrigin + performance.now()); the page's offset from Node's is measured
 * by round trips and taken out. Also: how long registrations.prepare takes in main, and
 * how many keys a counter registration needs besides the scan, counted by driving the
 * form from the keyboard. BENCH_SCAN_DOCUMENTS sets the count (default 50).
 */

const WARM_UP = 5;
const PASSWORD = 'bench counter password';
const STATION_ID = 'BIH-BENCH-REG';

function now(): number {
  return performance.timeOrigin + performance.now();
}

function summary(samples: readonly number[]): string {
  const figure = (value: number): string => value.toFixed(1);
  return `p50 ${figure(percentile(samples, 50))} ms, p95 ${figure(percentile(samples, 95))} ms, max ${figure(Math.max(...samples))} ms`;
}

/** The page clock minus Node's, from the round trip with the least delay. */
async function clockOffset(page: Page): Promise<{ offset: number; uncertainty: number }> {
  let best = { offset: 0, uncertainty: Number.POSITIVE_INFINITY };
  for (let round = 0; round < 30; round++) {
    const sent = now();
    const pageTime = await page.evaluate<number>('performance.timeOrigin + performance.now()');
    const back = now();
    const halfTrip = (back - sent) / 2;
    if (halfTrip < best.uncertainty) best = { offset: pageTime - (sent + halfTrip), uncertainty: halfTrip };
  }
  return best;
}

/** Records in the page each document number the form shows, when the DOM has it and at the next frame. */
const WATCH_FORM = `(() => {
  window.benchFilled = [];
  window.benchChecked = {};
  let last = '';
  new MutationObserver(() => {
    const checks = document.querySelector('[data-testid="registration-watchlist"]');
    const checked = checks ? checks.getAttribute('data-document-number') : '';
    if (checked && !(checked in window.benchChecked)) window.benchChecked[checked] = performance.timeOrigin + performance.now();
    const field = document.getElementById('registration-documentNumber');
    if (!field || field.value === last) return;
    last = field.value;
    const record = { number: field.value, domAt: performance.timeOrigin + performance.now(), frameAt: 0 };
    window.benchFilled.push(record);
    requestAnimationFrame(() => { record.frameAt = performance.timeOrigin + performance.now(); });
  }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
})()`;

/**
 * Waits for the page's record of a document in the form. Polled from Node (the page's CSP
 * refuses the string evaluation waitForFunction needs); the times come from the page, so
 * the polling adds nothing to them.
 */
async function filledRecord(page: Page, documentNumber: string): Promise<{ domAt: number; frameAt: number; checksAt: number }> {
  const deadline = Date.now() + 15_000;
  const number = JSON.stringify(documentNumber);
  const probe = `(() => {
    const found = window.benchFilled.find((record) => record.number === ${number} && record.frameAt > 0);
    const checksAt = window.benchChecked[${number}];
    if (!found || checksAt === undefined) return null;
    window.benchFilled = [];
    window.benchChecked = {};
    return { domAt: found.domAt, frameAt: found.frameAt, checksAt };
  })()`;
  while (Date.now() < deadline) {
    const found = await page.evaluate<{ domAt: number; frameAt: number; checksAt: number } | null>(probe);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('The form did not show the scanned document within 15 s.');
}

/**
 * Completes a registration after a scan from the keyboard alone, the way an officer
 * would: types into the field the focus landed on (a letter for a code list, the days of
 * stay), Enter to move on, until the screen says saved. Returns the keys pressed.
 */
async function keystrokesForRegistration(page: Page, write: () => Promise<void>, documentNumber: string): Promise<number> {
  await page.keyboard.press('Alt+N');
  await page.waitForSelector('[data-testid="registration-form"][data-document-number=""]');
  await write();
  await page.waitForSelector(`[data-testid="registration-form"][data-document-number="${documentNumber}"]`);
  const answers: Record<string, string> = { 'registration-providerCode': 'h', 'registration-stayDays': '3', 'registration-purposeCode': 't' };
  let keys = 0;
  for (let step = 0; step < 20; step++) {
    if (await page.$('[data-testid="registration-saved"]')) return keys;
    const focused = await page.evaluate<string>("document.activeElement ? document.activeElement.id : ''");
    const answer = answers[focused];
    if (answer === undefined) throw new Error(`The focus landed on a field the bench has no answer for: '${focused}'.`);
    for (const key of [...answer, 'Enter']) {
      await page.keyboard.press(key);
      keys += 1;
    }
    await page.waitForTimeout(100);
  }
  throw new Error('The registration was not saved after 20 fields.');
}

export async function benchScanToForm(): Promise<void> {
  if (!existsSync(join(process.cwd(), 'dist', 'renderer', 'index.html'))) throw new Error('Build the renderer first: npm run build:renderer');
  const count = Number(process.env.BENCH_SCAN_DOCUMENTS ?? 50);
  const pty = await openPseudoTerminal();
  const webApp = await startWebStation({
    stationId: STATION_ID,
    officer: { id: 'bench-officer', name: 'Bench Officer', username: 'bench.officer', badgeNumber: 'B-9001', role: 'officer' },
    password: PASSWORD,
    devices: {
      devices: [{ id: 'serial', label: 'Bench reader', protocol: 'mrz-stx-etx', address: { transport: 'serial', path: pty.path, baudRate: 115200, parity: 'none', dataBits: 8, stopBits: 1 }, enabled: true }],
    },
    seed: async (database) => {
      const at = Date.now();
      await database.stations.insert({ id: STATION_ID, name: 'Bench station', kind: 'police-station', municipality: 'Centar Sarajevo', updatedAt: at });
      await database.codeLists.bulkInsert([
        { id: codeListEntryId('purposes', 'TOURISM'), list: 'purposes', code: 'TOURISM', labels: { en: 'Tourism' }, updatedAt: at },
        {
          id: codeListEntryId('accommodationProviders', 'HOTEL-BENCH'),
          list: 'accommodationProviders',
          code: 'HOTEL-BENCH',
          labels: { en: 'Hotel Bench' },
          extra: { street: 'Bench street', houseNumber: '1', postcode: '71000', place: 'Sarajevo', municipality: 'Centar Sarajevo' },
          updatedAt: at,
        },
      ]);
    },
  });
  // Time spent in main's registrations.prepare, per call (the handler calls the service's method as it is now).
  const prepareMs: number[] = [];
  const registrations = webApp.main.services.registrations;
  const prepare = registrations.prepare.bind(registrations);
  registrations.prepare = async (...args) => {
    const started = now();
    try {
      return await prepare(...args);
    } finally {
      prepareMs.push(now() - started);
    }
  };

  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ locale: 'en-US' });
    await page.goto(webApp.shell.url);
    await page.waitForSelector('[data-testid="login-form"]', { timeout: 15_000 });
    await page.fill('input[name="username"]', 'bench.officer');
    await page.fill('input[name="password"]', PASSWORD);
    await page.press('input[name="password"]', 'Enter');
    await page.waitForSelector('[data-testid="nav-status"]', { timeout: 15_000 });
    await page.click('[data-testid="nav-status"]');
    await page.waitForSelector('[data-testid="device-serial"][data-state="ready"]', { timeout: 15_000 });
    await page.click('[data-testid="nav-registration"]');
    await page.waitForSelector('[data-testid="registration-form"]', { timeout: 15_000 });
    await page.evaluate(WATCH_FORM);
    const clock = await clockOffset(page);

    const zones = syntheticZones(count + WARM_UP + 1, 9_301, { formats: ['TD1', 'TD2', 'TD3'] });
    const toDom: number[] = [];
    const toFrame: number[] = [];
    const toChecks: number[] = [];
    for (const [index, lines] of zones.slice(0, count + WARM_UP).entries()) {
      const parsed = parseMrz(lines.join('\n'));
      if (!parsed.ok) throw new Error(`synthetic document ${index} does not parse`);
      const number = documentNumberKey(parsed.document.fields.documentNumber);
      const before = prepareMs.length;
      await pty.write(stxEtxFrame(lines));
      const lastByteAt = now();
      const { domAt, frameAt, checksAt } = await filledRecord(page, number);
      if (prepareMs.length === before) throw new Error(`document ${index} filled the form without registrations.prepare`);
      if (index < WARM_UP) {
        prepareMs.splice(before);
        continue;
      }
      toDom.push(domAt - clock.offset - lastByteAt);
      toFrame.push(frameAt - clock.offset - lastByteAt);
      toChecks.push(checksAt - clock.offset - lastByteAt);
      // Lets the screen settle, as between two travellers at a counter.
      await page.waitForTimeout(30);
    }
    console.log(`scan-to-form: ${count} documents over a pseudo-terminal into Chromium (page clock offset ±${clock.uncertainty.toFixed(2)} ms)`);
    console.log(`scan-to-form: last byte → form filled (DOM)    ${summary(toDom)}`);
    console.log(`scan-to-form: last byte → next frame (painted) ${summary(toFrame)}`);
    console.log(`scan-to-form: last byte → checks beside it (watchlist, earlier records) ${summary(toChecks)}`);
    console.log(`scan-to-form:   registrations.prepare in main (lookups and audit write) ${summary(prepareMs)}`);

    const last = zones[count + WARM_UP]!;
    const lastParsed = parseMrz(last.join('\n'));
    if (!lastParsed.ok) throw new Error('the last synthetic document does not parse');
    const keys = await keystrokesForRegistration(page, () => pty.write(stxEtxFrame(last)), documentNumberKey(lastParsed.document.fields.documentNumber));
    const saved = await webApp.main.services.store()!.database.registrations.count().exec();
    console.log(`scan-to-form: keystrokes for a counter registration besides the scan: ${keys} (driven from the keyboard; ${saved} registration saved)`);
  } finally {
    await browser.close();
    await webApp.stop();
    await pty.close();
  }
}
