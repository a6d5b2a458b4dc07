import path from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect } from '../fixtures';
import { callServerFn } from '../support/rpc';
import { TokensTab, seedToken, levelRadio } from '../pages/tokens-tab';

// Renders the README's screenshots from a realistic workspace, in both themes, at desktop and
// phone width. Each run also checks that the views show what was seeded, so a broken page
// cannot make a pretty picture. Written into docs/screenshots/ only when asked
// (TESSERA_UPDATE_SCREENSHOTS=1), so an ordinary test run leaves the repository untouched;
// otherwise into the test's output folder.
const updateDocs = process.env.TESSERA_UPDATE_SCREENSHOTS === '1';
const docsShots = path.resolve(__dirname, '..', '..', 'docs', 'screenshots');
const DAY = 86_400_000;

const widths = [
  { width: 1280, height: 860, suffix: '' },
  { width: 375, height: 812, suffix: '-375' },
] as const;

/** The seeded workspace: every status, every scope, a grace period, an expiry and some use. */
async function seed(page: Page, baseURL: string) {
  const request = page.request;
  const production = await callServerFn<{ id: string }>(request, baseURL, 'create_environment', {
    name: 'Production', purpose: 'production', description: '',
  });
  const agent = await callServerFn<{ id: string }>(request, baseURL, 'install_agent', {
    name: 'Support bot', description: 'Answers tickets', version: '1.4.0', config: '{}',
  });
  await seedToken(request, baseURL, 'Legacy importer');
  const staging = await seedToken(request, baseURL, 'Staging smoke tests', { expires_at_ms: String(Date.now() + 7 * DAY) });
  await seedToken(request, baseURL, 'Support bot · Production', {
    scope_kind: 'deployment', environment_id: production.id, agent_id: agent.id,
  });
  const old = await seedToken(request, baseURL, 'Old laptop script');
  await seedToken(request, baseURL, 'Nightly analytics export', { expires_at_ms: String(Date.now() + 90 * DAY) });
  const ci = await seedToken(request, baseURL, 'CI deploys');
  await callServerFn(request, baseURL, 'suspend_token', { id: staging.token.id });
  await callServerFn(request, baseURL, 'revoke_token', { id: old.token.id });
  const regenerated = await callServerFn<{ plaintext: string }>(request, baseURL, 'regenerate_token', { id: ci.token.id, grace: 'one_day' });
  for (let i = 0; i < 3; i++) {
    const call = await request.get(`${baseURL}/api/tokens/self`, { headers: { authorization: `Bearer ${regenerated.plaintext}` } });
    expect(call.status()).toBe(200);
  }
  type Counted = { name: string; usage_count: number };
  await expect
    .poll(async () => (await callServerFn<{ items: Counted[] }>(request, baseURL, 'list_tokens', {})).items.find((t) => t.name === 'CI deploys')?.usage_count)
    .toBe(3);
}

for (const colorScheme of ['light', 'dark'] as const) {
  for (const { width, height, suffix } of widths) {
    test.describe(`${colorScheme} theme at ${width} px`, () => {
      test.use({ colorScheme, viewport: { width, height }, timezoneId: 'Europe/Berlin', locale: 'en-GB' });

      test(`screenshots of the API Tokens tab (${colorScheme}, ${width} px)`, async ({ page, server, owner: _ }, testInfo) => {
        // Four themes × widths in parallel on a small machine, each rendering nine states.
        test.slow();
        const shots = updateDocs ? docsShots : testInfo.outputDir;
        const shot = (name: string, fullPage = false) =>
          page.screenshot({ path: path.join(shots, `tokens-${name}-${colorScheme}${suffix}.png`), fullPage });
        await seed(page, server.url);

        const tab = new TokensTab(page);
        await tab.open();
        await expect(tab.cardList.getByTestId('token')).toHaveCount(6);
        await expect(tab.token('Old laptop script').getByTestId('token-status')).toHaveText('Revoked');
        await expect(tab.token('Staging smoke tests').getByTestId('token-status')).toHaveText('Suspended');
        await expect(tab.token('CI deploys').getByTestId('token-grace')).toContainText('Previous value valid until');
        await shot('cards', true);

        // The action menu of an active token: every entry readable, Revoke in red.
        const menu = await tab.openMenu('CI deploys');
        await expect(menu.getByRole('menuitem', { name: 'Revoke' })).toBeVisible();
        await shot('menu');
        await page.keyboard.press('Escape');

        await tab.tableToggle.click();
        await expect(tab.table.getByRole('row')).toHaveCount(7);
        await expect(tab.token('Support bot · Production').getByTestId('token-scope')).toHaveText('Agent deployment (Support bot · Production)');
        await shot('table', true);

        // The detail: figures, the grace period, the chart with the pointer on today.
        await page.getByRole('button', { name: 'Details of CI deploys', exact: true }).click();
        const detail = tab.dialog('CI deploys');
        await expect(detail.getByTestId('usage-caption')).toHaveText('3 calls in the last 30 days');
        await detail.getByTestId('usage-day').last().hover();
        await expect(detail.getByTestId('usage-readout')).toHaveText('Today: 3 calls');
        await shot('detail');

        // Narrowing permissions: levels above what the token has are disabled with the reason.
        await detail.getByRole('button', { name: 'Edit permissions' }).click();
        await levelRadio(detail, 'Agents', 'Read').check();
        await expect(levelRadio(detail, 'Agents', 'Write')).toBeEnabled();
        await shot('permissions-edit', true);
        await detail.getByRole('button', { name: 'Cancel' }).click();
        await page.keyboard.press('Escape');

        // The create form with a custom expiry, its zone and the exact time it means.
        await tab.createButton.click();
        const dialog = tab.dialog('Create API token');
        await dialog.getByLabel('Name').fill('Zapier integration');
        await dialog.getByLabel('Expiration').selectOption({ label: 'Custom date and time' });
        await dialog.getByLabel('Expires at').fill('2030-12-31T23:30');
        await expect(dialog.getByTestId('token-expiry-preview')).toContainText('(Europe/Berlin)');
        await shot('create');

        // Custom permissions: the grid, one row per resource.
        await tab.presetRadio(dialog, 'Custom').check();
        await levelRadio(dialog, 'Agents', 'Write').check();
        await levelRadio(dialog, 'Knowledge base', 'Read').check();
        await expect(dialog.getByText('Custom: 2 resources')).toBeVisible();
        await shot('create-custom', true);
        await tab.presetRadio(dialog, 'Full access').check();

        // The token shown once, with how to use it.
        await dialog.getByRole('button', { name: 'Create token' }).click();
        await expect(dialog.getByLabel('Your new token')).toHaveValue(/^tsr_/);
        await expect(dialog.getByTestId('usage-curl')).toContainText('/api/tokens/self');
        await shot('reveal');
        // Closing before copying asks first.
        await page.keyboard.press('Escape');
        await expect(dialog.getByText('You have not copied the token. Close anyway?')).toBeVisible();
        await shot('close-anyway');
      });
    });
  }
}
