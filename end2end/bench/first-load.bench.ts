import { test } from '../fixtures';
import { seedToken } from '../pages/tokens-tab';
import type { CDPSession, Page } from '@playwright/test';

// First and repeat visit of Settings › API Tokens over an emulated 10 Mbit/s link with a
// 40 ms round trip (Chrome DevTools protocol): bytes on the wire and time until the page has
// hydrated. Run by `scripts/bench.sh --first-load`; figures go to docs/benchmarks.md.
// It prints figures and asserts nothing about them: timings on a shared machine are not a test.

const DOWN_BYTES_PER_SECOND = (10 * 1000 * 1000) / 8;
const ROUND_TRIP_MS = 40;

type Visit = { bytes: number; requests: number; fromCache: number; hydratedMs: number };

async function visit(page: Page, cdp: CDPSession, url: string): Promise<Visit> {
  const sizes = new Map<string, number>();
  let fromCache = 0;
  const onFinished = (event: { requestId: string; encodedDataLength: number }) =>
    sizes.set(event.requestId, event.encodedDataLength);
  const onServedFromCache = () => (fromCache += 1);
  cdp.on('Network.loadingFinished', onFinished);
  cdp.on('Network.requestServedFromCache', onServedFromCache);
  const started = Date.now();
  await page.goto(url, { waitUntil: 'commit' });
  await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
  const hydratedMs = Date.now() - started;
  await page.waitForLoadState('networkidle');
  cdp.off('Network.loadingFinished', onFinished);
  cdp.off('Network.requestServedFromCache', onServedFromCache);
  const bytes = [...sizes.values()].reduce((sum, n) => sum + n, 0);
  return { bytes, requests: sizes.size, fromCache, hydratedMs };
}

test('first and repeat visit of the API Tokens tab', async ({ page, context, server, owner }) => {
  void owner;
  for (let n = 0; n < 20; n++) await seedToken(context.request, server.url, `CI deploy ${n}`);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: ROUND_TRIP_MS,
    downloadThroughput: DOWN_BYTES_PER_SECOND,
    uploadThroughput: DOWN_BYTES_PER_SECOND,
  });
  const url = `${server.url}/settings/tokens`;
  const first = await visit(page, cdp, url);
  const repeat = await visit(page, cdp, url);
  const row = (label: string, v: Visit, maxBytes: number, maxMs: number) =>
    `| ${label} | ${(v.bytes / 1024).toFixed(1)} KB (target ≤ ${maxBytes / 1000} KB) | ` +
    `${v.requests} (${v.fromCache} from cache) | ${v.hydratedMs} ms (target ≤ ${maxMs} ms) |`;
  console.log(
    [
      '',
      `First load of /settings/tokens at 10 Mbit/s, ${ROUND_TRIP_MS} ms round trip:`,
      '| visit | transferred | requests | until hydrated |',
      '|---|---|---|---|',
      row('first', first, 400_000, 1500),
      row('repeat', repeat, 30_000, 500),
      '',
    ].join('\n'),
  );
});
