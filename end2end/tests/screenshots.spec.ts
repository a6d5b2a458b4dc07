import path from 'node:path';
import { test, expect } from '../fixtures';
import { callServerFn } from '../support/rpc';
import { TokensTab, seedToken } from '../pages/tokens-tab';

// Renders the README's screenshots from a realistic workspace, in both themes. Each run also
// checks that the views show what was seeded, so a broken page cannot make a pretty picture.
// Written into docs/screenshots/ only when asked (TESSERA_UPDATE_SCREENSHOTS=1), so an ordinary
// test run leaves the repository untouched; otherwise into the test's output folder.
const updateDocs = process.env.TESSERA_UPDATE_SCREENSHOTS === '1';
const docsShots = path.resolve(__dirname, '..', '..', 'docs', 'screenshots');
const DAY = 86_400_000;

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`${colorScheme} theme`, () => {
    test.use({ colorScheme, viewport: { width: 1200, height: 860 } });

    test(`screenshots of the card view, the table view and the create dialog (${colorScheme})`, async ({ page, server, owner: _ }, testInfo) => {
      const shots = updateDocs ? docsShots : testInfo.outputDir;
      const request = page.request;
      const production = await callServerFn<{ id: string }>(request, server.url, 'create_environment', {
        name: 'Production', purpose: 'production', description: '',
      });
      const agent = await callServerFn<{ id: string }>(request, server.url, 'install_agent', {
        name: 'Support bot', description: 'Answers tickets', version: '1.4.0', config: '{}',
      });
      await seedToken(request, server.url, 'Legacy importer');
      const staging = await seedToken(request, server.url, 'Staging smoke tests', { expires_at_ms: String(Date.now() + 7 * DAY) });
      await seedToken(request, server.url, 'Support bot · Production', {
        scope_kind: 'deployment', environment_id: production.id, agent_id: agent.id,
      });
      const old = await seedToken(request, server.url, 'Old laptop script');
      await seedToken(request, server.url, 'Nightly analytics export', { expires_at_ms: String(Date.now() + 90 * DAY) });
      await seedToken(request, server.url, 'CI deploys');
      await callServerFn(request, server.url, 'suspend_token', { id: staging.token.id });
      await callServerFn(request, server.url, 'revoke_token', { id: old.token.id });

      const tab = new TokensTab(page);
      await tab.open();
      await expect(tab.cardList.getByTestId('token')).toHaveCount(6);
      await expect(tab.token('Old laptop script').getByTestId('token-status')).toHaveText('Revoked');
      await expect(tab.token('Staging smoke tests').getByTestId('token-status')).toHaveText('Suspended');
      await page.screenshot({ path: path.join(shots, `tokens-cards-${colorScheme}.png`), fullPage: true });

      await tab.tableToggle.click();
      await expect(tab.table.getByRole('row')).toHaveCount(7);
      await expect(tab.token('Support bot · Production').getByTestId('token-scope')).toHaveText('Agent deployment (Support bot · Production)');
      await page.screenshot({ path: path.join(shots, `tokens-table-${colorScheme}.png`), fullPage: true });

      const dialog = await tab.create('Zapier integration', '30 days');
      await expect(dialog.getByLabel('Your new token')).toHaveValue(/^tsr_/);
      await page.screenshot({ path: path.join(shots, `tokens-create-${colorScheme}.png`) });
    });
  });
}
