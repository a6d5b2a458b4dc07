// Opens one address in headless Debian chromium and waits until the app has hydrated
// (`html[data-hydrated]`), failing on any console error or page error. Used by
// scripts/fresh_clone_check.sh; prints the time to hydration.
import { chromium } from '@playwright/test';

const url = process.argv[2];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
const errors = [];
const page = await browser.newPage();
page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
page.on('pageerror', (error) => errors.push(String(error)));
const started = Date.now();
try {
  await page.goto(url);
  await page.locator('html[data-hydrated]').waitFor({ state: 'attached', timeout: 30_000 });
  if (errors.length) throw new Error(`errors on the page:\n${errors.join('\n')}`);
  console.log(`hydrated ${url} in ${Date.now() - started} ms: "${await page.title()}"`);
} finally {
  await browser.close();
}
