import AxeBuilder from '@axe-core/playwright';
import type { APIRequestContext, Locator, Page } from '@playwright/test';
import { test, expect } from '../fixtures';
import { openHydrated } from '../pages/app-page';
import { callServerFn } from '../support/rpc';
import { TokensTab, seedToken, type TokenView } from '../pages/tokens-tab';
import { textContrast } from '../support/contrast';

// Every screen, in both themes, checked by axe-core against WCAG 2.1 A and AA: names of
// controls, labels, contrast, landmarks, ARIA use. A violation fails with axe's own
// explanation and the offending elements; every screen is checked before the test fails.

const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

async function expectNoViolations(page: Page, screen: string) {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  const report = violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')}: ${n.failureSummary}`).join('\n')}`,
  );
  expect.soft(report, `${screen}: axe violations`).toEqual([]);
}

/** Every element's text meets 4.5:1 against what is actually behind it. */
async function expectReadable(elements: Locator, screen: string) {
  const unreadable = (await textContrast(elements)).filter((c) => c.ratio < 4.5);
  expect.soft(unreadable, `${screen}: text below 4.5:1 contrast`).toEqual([]);
}

/** A workspace with something on every screen; answers the agent's id. */
async function seedWorkspace(request: APIRequestContext, baseURL: string): Promise<string> {
  const production = await callServerFn<{ id: string }>(request, baseURL, 'create_environment', {
    name: 'Production', purpose: 'production', description: 'Live traffic',
  });
  const agent = await callServerFn<{ id: string }>(request, baseURL, 'install_agent', {
    name: 'Support bot', description: 'Answers tickets', version: '1.2.0', config: '{}',
  });
  await callServerFn(request, baseURL, 'create_token', {
    name: 'Support bot prod', scope_kind: 'deployment', agent_id: agent.id, environment_id: production.id,
  });
  await seedToken(request, baseURL, 'CI deploys');
  const suspended = await seedToken(request, baseURL, 'Nightly export');
  await callServerFn(request, baseURL, 'suspend_token', { id: suspended.token.id });
  const revoked = await seedToken(request, baseURL, 'Old laptop');
  await callServerFn(request, baseURL, 'revoke_token', { id: revoked.token.id });
  return agent.id;
}

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`${colorScheme} theme`, () => {
    // The not-found screen is checked too; the browser logs its document's 404.
    test.use({ colorScheme, allowedConsoleErrors: [/status of 404/] });
    // Each axe run analyses the whole page: real work that a loaded machine does slowly.
    test.slow();

    test(`every page meets WCAG 2.1 AA (${colorScheme})`, async ({ page, browser, server, owner: _ }) => {
      const agentId = await seedWorkspace(page.request, server.url);
      for (const [screen, path] of [
        ['agents', '/agents'],
        ['agent overview', `/agents/${agentId}`],
        ['agent deployments', `/agents/${agentId}/deployments`],
        ['agent triggers', `/agents/${agentId}/triggers`],
        ['agent executions', `/agents/${agentId}/executions`],
        ['assistant', '/assistant'],
        ['general settings', '/settings/general'],
        ['members', '/settings/members'],
        ['environments', '/settings/environments'],
        ['audit log', '/settings/audit'],
        ['not found', '/no/such/page'],
      ]) {
        await openHydrated(page, path);
        await expectNoViolations(page, screen);
      }

      // The API reference is the server's own page, without the app.
      await page.goto('/api/docs');
      await expect(page.getByRole('heading', { level: 1 })).toContainText('Tessera API');
      await expectNoViolations(page, 'API reference');

      // Signed out: the sign-in page.
      const visitor = await browser.newContext({ baseURL: server.url, colorScheme });
      const visitorPage = await visitor.newPage();
      await openHydrated(visitorPage, '/agents');
      await expect(visitorPage.getByRole('heading', { name: 'Sign in to Tessera' })).toBeVisible();
      await expectNoViolations(visitorPage, 'sign-in');
      await visitor.close();
    });

    test(`the API Tokens views, every menu and every dialog meet WCAG 2.1 AA (${colorScheme})`, async ({ page, server, owner: _ }) => {
      await seedWorkspace(page.request, server.url);
      // An expired token too, so every status's menu is checked.
      await seedToken(page.request, server.url, 'Short lived', { expires_at_ms: String(Date.now() + 1500) });
      await expect
        .poll(async () => (await callServerFn<{ items: TokenView[] }>(page.request, server.url, 'list_tokens', {})).items.find((t) => t.name === 'Short lived')?.status)
        .toBe('expired');
      const tab = new TokensTab(page);
      await tab.open();
      await expect(tab.cardList).toBeVisible();
      await expectNoViolations(page, 'API tokens, cards');
      await tab.tableToggle.click();
      await expect(tab.table).toBeVisible();
      await expectNoViolations(page, 'API tokens, table');

      // Each status's menu, open: axe, and every entry readable on the menu behind it.
      for (const [name, status] of [
        ['CI deploys', 'active'],
        ['Nightly export', 'suspended'],
        ['Short lived', 'expired'],
        ['Old laptop', 'revoked'],
      ]) {
        const menu = await tab.openMenu(name);
        await expectNoViolations(page, `${status} token's action menu`);
        await expectReadable(menu.getByRole('menuitem'), `${status} token's action menu`);
        await page.keyboard.press('Escape');
        await expect(menu).toBeHidden();
      }

      await page.getByRole('button', { name: 'Details of CI deploys', exact: true }).click();
      const detail = tab.dialog('CI deploys');
      await expect(detail).toBeVisible();
      await expectNoViolations(page, 'token detail dialog');
      await detail.getByRole('button', { name: 'Edit permissions' }).click();
      await expect(detail.getByTestId('permission-grid')).toBeVisible();
      await expectNoViolations(page, 'token detail, editing permissions');
      await page.keyboard.press('Escape');

      for (const [name, action, title] of [
        ['CI deploys', 'Regenerate', 'Regenerate CI deploys'],
        ['CI deploys', 'Revoke', 'Revoke CI deploys?'],
        ['Old laptop', 'Delete', 'Delete Old laptop?'],
      ]) {
        await tab.choose(name, action);
        const dialog = tab.dialog(title);
        await expect(dialog).toBeVisible();
        await expectNoViolations(page, `${action} dialog`);
        await expectReadable(dialog.getByRole('button'), `${action} dialog`);
        await dialog.getByRole('button', { name: 'Cancel' }).click();
        await expect(dialog).toBeHidden();
      }

      await tab.createButton.click();
      const form = tab.dialog('Create API token');
      await expect(form).toBeVisible();
      await expectNoViolations(page, 'create token form');
      await tab.presetRadio(form, 'Custom').check();
      await expect(form.getByTestId('permission-grid')).toBeVisible();
      await expectNoViolations(page, 'create token form, custom permissions');
      await page.keyboard.press('Escape');
      const created = await tab.create('Release pipeline');
      await expect(created.getByLabel('Your new token')).toBeVisible();
      await expectNoViolations(page, 'token shown once');
      await expectReadable(created.getByRole('button'), 'token shown once');
    });
  });
}
