import { test, expect } from '../fixtures';
import type { APIRequestContext, Locator } from '@playwright/test';
import { callServerFn } from '../support/rpc';
import { addPerson } from '../support/people';
import { TokensTab, levelRadio, permissionRow, seedToken } from '../pages/tokens-tab';
import { DeploymentsTab } from '../pages/deployments-tab';

// Token permissions (SPEC §4.2) end to end: chosen in the create dialog, shown at a glance,
// narrowed in the detail, and obeyed by the REST API the token is for.

const TOKEN_SHAPE = /^tsr_[0-9A-Za-z]{50}$/;
const NARROWING_NOTE = 'Permissions can only be narrowed; create a new token for more access.';

/** The REST API as a program holding `token` sees it (no cookies: Playwright's `request`). */
function api(request: APIRequestContext, baseURL: string, token: string) {
  const headers = { authorization: `Bearer ${token}` };
  return {
    listAgents: () => request.get(`${baseURL}/api/agent-base`, { headers }),
    installAgent: (name: string) => request.post(`${baseURL}/api/agent-base`, { headers, data: { name, version: '1' } }),
    self: async () => {
      const response = await request.get(`${baseURL}/api/tokens/self`, { headers });
      expect(response.status()).toBe(200);
      return (await response.json()) as { permissions: Record<string, string> };
    },
  };
}

/** The value the reveal dialog shows once; closes the dialog. */
async function shownValue(dialog: Locator): Promise<string> {
  const value = dialog.getByLabel('Your new token');
  await expect(value).toHaveValue(TOKEN_SHAPE);
  const plaintext = await value.inputValue();
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(dialog).toBeHidden();
  return plaintext;
}

test('a Read only token reads agents, is refused installing one with agents:write named, and says so on its card and row', async ({ page, request, server, owner: _ }) => {
  const tab = new TokensTab(page);
  await tab.open();
  await tab.createButton.click();
  const dialog = tab.dialog('Create API token');
  // Full access is the default, and the grid stays out of the way until Custom.
  await expect(tab.presetRadio(dialog, 'Full access')).toBeChecked();
  await expect(dialog.getByTestId('permission-grid')).toHaveCount(0);
  await page.keyboard.press('Escape');

  const plaintext = await shownValue(await tab.createWith('Reporting', 'Read only'));
  const client = api(request, server.url, plaintext);
  expect((await client.listAgents()).status()).toBe(200);
  const refused = await client.installAgent('x');
  expect(refused.status()).toBe(403);
  expect(refused.headers()['content-type']).toContain('application/problem+json');
  expect((await refused.json()).required).toBe('agents:write');

  const card = tab.token('Reporting');
  await expect(card.getByTestId('token-permissions')).toHaveText('Read only');
  await tab.tableToggle.click();
  await expect(tab.table).toBeVisible();
  await expect(tab.table.getByRole('columnheader', { name: 'Permissions' })).toBeVisible();
  await expect(tab.token('Reporting').getByTestId('token-permissions')).toHaveText('Read only');
  // A token made without a choice has full access.
  await seedToken(page.request, server.url, 'Everything');
  await tab.open();
  await expect(tab.token('Everything').getByTestId('token-permissions')).toHaveText('Full access');
});

test('Custom: the grid by keyboard, write on agents only; the summary and /api/tokens/self agree', async ({ page, request, server, owner: _ }) => {
  const tab = new TokensTab(page);
  await tab.open();
  await tab.createButton.click();
  const dialog = tab.dialog('Create API token');
  await dialog.getByLabel('Name').fill('Agent installer');
  await tab.presetRadio(dialog, 'Custom').check();
  const grid = dialog.getByTestId('permission-grid');
  await expect(grid.getByRole('radiogroup')).toHaveCount(9);
  // Custom starts from nothing: every row at No access.
  const summary = dialog.getByTestId('permission-summary');
  await expect(summary).toHaveText('This token: No access');
  for (const resource of ['Agents', 'Knowledge base', 'Tokens']) {
    await expect(levelRadio(dialog, resource, 'No access')).toBeChecked();
  }
  // An account token may have every level: nothing is disabled.
  await expect(grid.getByRole('radio', { disabled: true })).toHaveCount(0);

  // Arrow keys move within a row, as native radio groups do.
  await levelRadio(dialog, 'Agents', 'No access').focus();
  await page.keyboard.press('ArrowRight');
  await expect(levelRadio(dialog, 'Agents', 'Read')).toBeChecked();
  await expect(levelRadio(dialog, 'Agents', 'Read')).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(levelRadio(dialog, 'Agents', 'Write')).toBeChecked();
  await expect(summary).toHaveText('This token: Custom: 1 resource');
  // Tab leaves the row for the next one rather than walking its buttons.
  await page.keyboard.press('Tab');
  await expect(levelRadio(dialog, 'Executions', 'No access')).toBeFocused();

  await dialog.getByRole('button', { name: 'Create token' }).click();
  const plaintext = await shownValue(dialog);
  await expect(tab.token('Agent installer').getByTestId('token-permissions')).toHaveText('Custom: 1 resource');

  const self = await api(request, server.url, plaintext).self();
  expect(self.permissions.agents).toBe('write');
  expect(self.permissions.storage).toBe('none');
  expect(self.permissions.tokens).toBe('none');
  expect((await api(request, server.url, plaintext).installAgent('made by a token')).status()).toBe(201);
});

test('the detail narrows agents from write to read: the API then refuses the install, and nothing can be raised again', async ({ page, request, server, owner: _ }) => {
  const created = await seedToken(page.request, server.url, 'Build server');
  const client = api(request, server.url, created.plaintext);
  expect((await client.installAgent('before')).status()).toBe(201);

  const tab = new TokensTab(page);
  await tab.open();
  const detail = await tab.openDetail('Build server');
  const section = detail.getByRole('region', { name: 'Permissions' });
  await expect(section.getByTestId('token-permissions')).toHaveText('Full access');
  const agentsLevel = section.getByRole('listitem').filter({ hasText: 'Agents' }).getByTestId('permission-level');
  await expect(agentsLevel).toHaveText('Write');

  await section.getByRole('button', { name: 'Edit permissions' }).click();
  // Pre-filled with what the token has; focus is in the grid.
  await expect(levelRadio(section, 'Agents', 'Write')).toBeChecked();
  await expect(levelRadio(section, 'Agents', 'Write')).toBeFocused();
  await expect(levelRadio(section, 'Storage', 'Write')).toBeChecked();
  const save = section.getByRole('button', { name: 'Save permissions' });
  await expect(save).toBeDisabled();
  await levelRadio(section, 'Agents', 'Read').check();
  await expect(section.getByTestId('permission-summary')).toHaveText('After saving: Custom: 9 resources');
  await save.click();

  await expect(agentsLevel).toHaveText('Read');
  await expect(section.getByTestId('token-permissions')).toHaveText('Custom: 9 resources');
  await expect(section.getByRole('button', { name: 'Edit permissions' })).toBeFocused();
  const refused = await client.installAgent('after');
  expect(refused.status()).toBe(403);
  expect((await refused.json()).required).toBe('agents:write');
  expect((await client.listAgents()).status()).toBe(200);
  expect((await client.self()).permissions.agents).toBe('read');

  // Opened again, write on agents is no longer on offer, and says why.
  await section.getByRole('button', { name: 'Edit permissions' }).click();
  const write = levelRadio(section, 'Agents', 'Write');
  await expect(write).toBeDisabled();
  await expect(write).toHaveAccessibleDescription(NARROWING_NOTE);
  await expect(section.getByText(NARROWING_NOTE)).toBeVisible();
  await expect(levelRadio(section, 'Agents', 'Read')).toBeChecked();
  await expect(levelRadio(section, 'Storage', 'Write')).toBeEnabled();
  await section.getByRole('button', { name: 'Cancel' }).click();
  await expect(section.getByRole('button', { name: 'Edit permissions' })).toBeFocused();

  // The card behind the dialog already has the new summary.
  await page.keyboard.press('Escape');
  await expect(tab.token('Build server').getByTestId('token-permissions')).toHaveText('Custom: 9 resources');
  await expect(page.getByRole('status').filter({ hasText: 'Narrowed the permissions of Build server.' })).toBeVisible();
});

test('members and revoked tokens get no "Edit permissions"; the levels are shown to everyone', async ({ page, browser, server, owner: _ }) => {
  const revoked = await seedToken(page.request, server.url, 'Old laptop');
  await callServerFn(page.request, server.url, 'revoke_token', { id: revoked.token.id });
  await seedToken(page.request, server.url, 'CI deploys');
  const tab = new TokensTab(page);
  await tab.open();
  const detail = await tab.openDetail('Old laptop');
  await expect(detail.getByRole('region', { name: 'Permissions' }).getByRole('listitem')).toHaveCount(9);
  await expect(detail.getByRole('button', { name: 'Edit permissions' })).toHaveCount(0);

  const member = await addPerson(browser, page.request, server.url, 'member');
  const memberTab = new TokensTab(member.page);
  await memberTab.open();
  const memberDetail = await memberTab.openDetail('CI deploys');
  await expect(memberDetail.getByTestId('token-permissions')).toHaveText('Full access');
  await expect(memberDetail.getByRole('button', { name: 'Edit permissions' })).toHaveCount(0);
  expect(member.problems).toEqual([]);
  await member.context.close();
});

test('a deployment token’s grid shows its scope’s ceiling: write on agents and any integrations access are disabled, with the reason', async ({ page, server, owner: _ }) => {
  await callServerFn(page.request, server.url, 'create_environment', { name: 'Production', purpose: 'production', description: '' });
  const agent = await callServerFn<{ id: string }>(page.request, server.url, 'install_agent', {
    name: 'Support bot', description: '', version: '1.0.0', config: '{}',
  });
  const deployments = new DeploymentsTab(page);
  await deployments.open(agent.id);
  await deployments.createButton.click();
  const dialog = page.getByRole('dialog', { name: 'Create deployment token for Support bot' });
  await dialog.getByLabel('Name').fill('Support bot prod');
  await dialog.getByLabel('Environment').selectOption({ label: 'Production (Production)' });
  await dialog.getByRole('group', { name: 'Permissions', exact: true }).getByRole('radio', { name: 'Custom', exact: true }).check();

  const agentsWrite = levelRadio(dialog, 'Agents', 'Write');
  await expect(agentsWrite).toBeDisabled();
  await expect(agentsWrite).toHaveAccessibleDescription('Agent deployment tokens cannot write agents.');
  await expect(permissionRow(dialog, 'Agents')).toContainText('Agent deployment tokens cannot write agents.');
  await expect(levelRadio(dialog, 'Agents', 'Read')).toBeEnabled();
  await expect(levelRadio(dialog, 'Integrations', 'Read')).toBeDisabled();
  await expect(permissionRow(dialog, 'Integrations')).toContainText('Agent deployment tokens cannot reach integrations.');
  await expect(levelRadio(dialog, 'Triggers', 'Write')).toBeEnabled();

  await levelRadio(dialog, 'Agents', 'Read').check();
  await levelRadio(dialog, 'Triggers', 'Write').check();
  await dialog.getByRole('button', { name: 'Create deployment token' }).click();
  await shownValue(dialog);
  await expect(deployments.token('Support bot prod').getByTestId('token-permissions')).toHaveText('Custom: 2 resources');
});

test.describe('at phone width', () => {
  test.use({ viewport: { width: 375, height: 740 } });

  test('the create dialog with the grid open fits 375 px without sideways scrolling', async ({ page, owner: _ }) => {
    const tab = new TokensTab(page);
    await tab.open();
    await tab.createButton.click();
    const dialog = tab.dialog('Create API token');
    await tab.presetRadio(dialog, 'Custom').check();
    await expect(dialog.getByTestId('permission-grid')).toBeVisible();
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);
    const dialogOverflow = await dialog.evaluate((d) => d.scrollWidth - d.clientWidth);
    expect(dialogOverflow).toBeLessThanOrEqual(0);
  });
});
