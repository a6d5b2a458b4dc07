import { test, expect } from '../fixtures';
import type { Page } from '@playwright/test';
import { TokensTab, seedToken } from '../pages/tokens-tab';
import { Shell } from '../pages/shell';

// How the split WASM bundle reaches the browser (scripts/pack_first_visits.mjs,
// docs/bundle.md): a first visit gets its page group's chunks in one pack; a page reached
// later in the browser, or a page whose pack cannot be had, gets its chunks one by one.

/** The WASM files the page asks the server for, by kind, in the order asked. */
function wasmRequests(page: Page) {
  const asked = { packs: [] as string[], chunks: [] as string[], main: [] as string[] };
  page.on('request', (request) => {
    const name = new URL(request.url()).pathname.split('/').pop() ?? '';
    if (!name.endsWith('.wasm')) return;
    if (name.includes('.pack.')) asked.packs.push(name);
    else if (name.startsWith('chunk_') || name.startsWith('split_')) asked.chunks.push(name);
    else asked.main.push(name);
  });
  return asked;
}

test('a first visit loads its page group as one pack, a later page its own chunks', async ({ page, context, server, owner: _ }) => {
  await seedToken(context.request, server.url, 'CI deploys');
  const asked = wasmRequests(page);
  const tab = new TokensTab(page);
  await tab.open();
  expect(asked.main).toHaveLength(1);
  expect(asked.packs).toEqual([expect.stringMatching(/^token_pages\.pack\.[\w-]{22}\.wasm$/)]);
  expect(asked.chunks).toEqual([]);
  // The server named the pack in the page's <head>, so it came alongside the main module.
  const packPreload = page.locator('head link[rel="preload"][href*=".pack."]');
  await expect(packPreload).toHaveCount(1);
  await expect(packPreload).toHaveAttribute('href', `/pkg/${asked.packs[0]}`);
  // The code from the pack runs: the token's menu opens and lists its actions.
  const menu = await tab.openMenu('CI deploys');
  await expect(menu.getByRole('menuitem', { name: /Suspend/ })).toBeVisible();
  await page.keyboard.press('Escape');

  // The token dialogs are a split point of their own, fetched when first opened: only what
  // the tab did not already load, file by file.
  await tab.createButton.click();
  await expect(tab.dialog('Create API token').getByLabel('Name')).toBeFocused();
  expect(asked.chunks).toContainEqual(expect.stringMatching(/^split_token_dialog_body_/));
  await page.keyboard.press('Escape');

  // Another page group reached in the browser: its chunks, not a second pack.
  const loadedForTokens = asked.chunks.length;
  await new Shell(page).agentsLink.click();
  await expect(page.getByRole('heading', { name: 'Agents', level: 1 })).toBeVisible();
  expect(asked.packs).toHaveLength(1);
  expect(asked.chunks.slice(loadedForTokens)).toContainEqual(expect.stringMatching(/^split_agent_pages_/));
});

test.describe('when the pack cannot be had', () => {
  test.use({ allowedConsoleErrors: [/ERR_FAILED/] });

  test('the page loads its chunks one by one and works', async ({ page, context, server, owner: _ }) => {
    await seedToken(context.request, server.url, 'CI deploys');
    await page.route('**/*.pack.*', (route) => route.abort('failed'));
    const asked = wasmRequests(page);
    const tab = new TokensTab(page);
    await tab.open();
    expect(asked.packs).toHaveLength(1);
    expect(asked.chunks).toContainEqual(expect.stringMatching(/^split_token_pages_/));
    const menu = await tab.openMenu('CI deploys');
    await expect(menu.getByRole('menuitem', { name: /Suspend/ })).toBeVisible();
  });
});
