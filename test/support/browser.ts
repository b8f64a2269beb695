import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const systemChromiums = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/** A system Chromium when one is installed, otherwise the one the @sparticuz/chromium package ships. */
async function chromiumExecutable(): Promise<string> {
  const chosen = process.env.MIS_CHROMIUM ?? systemChromiums.find((path) => existsSync(path));
  if (chosen) return chosen;
  const packaged = await import('@sparticuz/chromium');
  return packaged.default.executablePath();
}

/** A real headless Chromium, started the way it works on these closed-network machines. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: await chromiumExecutable(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}
