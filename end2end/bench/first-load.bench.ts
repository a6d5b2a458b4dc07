import { test } from '../fixtures';
import { seedToken } from '../pages/tokens-tab';
import type { CDPSession, Page } from '@playwright/test';

// First and repeat visit of Settings › API Tokens over an emulated 10 Mbit/s link with a
// 40 ms round trip (Chrome DevTools protocol): bytes on the wire and time until the page has
// hydrated. Run by `scripts/bench.sh --first-load`; figures go to docs/benchmarks.md.
// It prints figures and asserts nothing about them: timings on a shared machine are not a test.

const DOWN_BYTES_PER_SECOND = (10 * 1000 * 1000) / 8;
const ROUND_TRIP_MS = 40;

type Visit = {
  bytes: number;
  requests: number;
  fromCache: number;
  hydratedMs: number;
  bytesByKind: Map<string, number>;
};

/** What a request fetched, by its path: the page, WASM, JS, CSS or anything else. */
function kindOf(url: string): string {
  const path = new URL(url).pathname;
  const extension = path.match(/\.(wasm|js|css)$/)?.[1];
  return extension ?? (path.startsWith('/pkg/') ? 'other asset' : 'page and data');
}

async function visit(page: Page, cdp: CDPSession, url: string): Promise<Visit> {
  const sizes = new Map<string, number>();
  const urls = new Map<string, string>();
  let fromCache = 0;
  const onRequest = (event: { requestId: string; request: { url: string } }) =>
    urls.set(event.requestId, event.request.url);
  const onFinished = (event: { requestId: string; encodedDataLength: number }) =>
    sizes.set(event.requestId, event.encodedDataLength);
  const onServedFromCache = () => (fromCache += 1);
  cdp.on('Network.requestWillBeSent', onRequest);
  cdp.on('Network.loadingFinished', onFinished);
  cdp.on('Network.requestServedFromCache', onServedFromCache);
  const started = Date.now();
  await page.goto(url, { waitUntil: 'commit' });
  await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
  const hydratedMs = Date.now() - started;
  await page.waitForLoadState('networkidle');
  cdp.off('Network.requestWillBeSent', onRequest);
  cdp.off('Network.loadingFinished', onFinished);
  cdp.off('Network.requestServedFromCache', onServedFromCache);
  const bytes = [...sizes.values()].reduce((sum, n) => sum + n, 0);
  const bytesByKind = new Map<string, number>();
  for (const [id, n] of sizes) {
    const kind = kindOf(urls.get(id) ?? '');
    bytesByKind.set(kind, (bytesByKind.get(kind) ?? 0) + n);
  }
  return { bytes, requests: sizes.size, fromCache, hydratedMs, bytesByKind };
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
  // kB (1,000 bytes), as the targets are written.
  const kB = (n: number) => `${(n / 1000).toFixed(1)} kB`;
  const row = (label: string, v: Visit, maxBytes: number, maxMs: number) =>
    `| ${label} | ${kB(v.bytes)} (target ≤ ${kB(maxBytes)}) | ` +
    `${v.requests} (${v.fromCache} from cache) | ${v.hydratedMs} ms (target ≤ ${maxMs} ms) |`;
  const byKind = (v: Visit) =>
    [...v.bytesByKind].map(([kind, n]) => `${kind} ${kB(n)}`).join(', ');
  console.log(
    [
      '',
      `First load of /settings/tokens at 10 Mbit/s, ${ROUND_TRIP_MS} ms round trip:`,
      '| visit | transferred | requests | until hydrated |',
      '|---|---|---|---|',
      row('first', first, 400_000, 1500),
      row('repeat', repeat, 30_000, 500),
      '',
      `first visit by kind: ${byKind(first)}`,
      '',
    ].join('\n'),
  );
});
