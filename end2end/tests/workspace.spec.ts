import { test, expect } from '../fixtures';
import { openHydrated } from '../pages/app-page';
import { AgentsPage } from '../pages/agents-page';
import { EnvironmentsTab } from '../pages/environments-tab';
import { Shell } from '../pages/shell';

test('environments are created, edited and deleted in place', async ({ page, owner: _ }) => {
  const tab = new EnvironmentsTab(page);
  await tab.open();
  await expect(page.getByText('No environments yet.')).toBeVisible();

  await tab.newButton.click();
  await expect(tab.dialog).toBeVisible();
  await expect(tab.dialog.getByLabel('Name')).toBeFocused();
  // Empty name: the error appears next to the field and nothing is created.
  await tab.dialog.getByRole('button', { name: 'Create environment' }).click();
  await expect(tab.dialog.locator('#environment-name-error')).not.toBeEmpty();

  await tab.fillForm({ name: 'Staging <eu>', purpose: 'Staging', description: 'Pre-release checks' });
  await tab.dialog.getByRole('button', { name: 'Create environment' }).click();
  await expect(tab.dialog).toBeHidden();
  const staging = tab.item('Staging <eu>');
  await expect(staging).toBeVisible();
  await expect(staging).toContainText('Pre-release checks');
  await expect(staging.locator('code')).toHaveText(/^env_/);
  // Focus is back on the button that opened the dialog.
  await expect(tab.newButton).toBeFocused();

  // A duplicate name is refused next to the field.
  await tab.newButton.click();
  await tab.fillForm({ name: 'Staging <eu>', purpose: 'Production' });
  await tab.dialog.getByRole('button', { name: 'Create environment' }).click();
  await expect(tab.dialog.locator('#environment-name-error')).toContainText('already');
  await page.keyboard.press('Escape');
  await expect(tab.dialog).toBeHidden();

  await staging.getByRole('button', { name: 'Edit Staging <eu>' }).click();
  await tab.fillForm({ name: 'Production', purpose: 'Production' });
  await tab.dialog.getByRole('button', { name: 'Save changes' }).click();
  const production = tab.item('Production');
  await expect(production).toBeVisible();
  await expect(production).toContainText('Production');
  await expect(tab.item('Staging <eu>')).toHaveCount(0);

  await production.getByRole('button', { name: 'Delete Production' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete Production?' });
  await expect(confirm).toContainText('revoked');
  await confirm.getByRole('button', { name: 'Delete environment' }).click();
  await expect(tab.items).toHaveCount(0);
  await expect(page.getByText('No environments yet.')).toBeVisible();

  // The audit log lists these changes, newest first.
  await new Shell(page).settingsTab('Audit log').click();
  const actions = page.getByTestId('audit-event');
  await expect(actions.first()).toHaveAttribute('data-action', 'environment.deleted');
  await expect(actions.nth(1)).toHaveAttribute('data-action', 'environment.updated');
  await expect(actions.nth(2)).toHaveAttribute('data-action', 'environment.created');
});

test('agents are installed, edited and deleted; invalid JSON is refused next to the field', async ({ page, owner: _ }) => {
  const agents = new AgentsPage(page);
  await agents.open();
  await expect(page.getByText('No agents yet.')).toBeVisible();

  await agents.installButton.click();
  await agents.fillForm({ name: 'Support bot', description: 'Answers tickets', version: '1.2.0', config: '{"model": ' });
  await agents.dialog.getByRole('button', { name: 'Install agent' }).click();
  await expect(agents.dialog.locator('#agent-config-error')).not.toBeEmpty();
  await expect(agents.dialog.getByLabel('Configuration (JSON)')).toHaveAttribute('aria-invalid', 'true');

  // A step of no known kind: the error names the field by its JSON pointer.
  await agents.fillForm({ config: '{"steps": [{"id": "greet", "kind": "teleport"}]}' });
  await agents.dialog.getByRole('button', { name: 'Install agent' }).click();
  await expect(agents.dialog.locator('#agent-config-error')).toContainText('/steps/0/kind: One of kb_search, template');

  // Typed over several lines: the message says which line, and the field is selected there.
  await agents.fillForm({ config: '{\n  "steps": [\n    {"id": "greet", "kind": "teleport"}\n  ]\n}' });
  await agents.dialog.getByRole('button', { name: 'Install agent' }).click();
  await expect(agents.dialog.locator('#agent-config-error')).toContainText('Line 3, /steps/0/kind: One of kb_search, template');
  const editor = agents.dialog.getByLabel('Configuration (JSON)');
  await expect(editor).toBeFocused();
  expect(await editor.evaluate((area: HTMLTextAreaElement) => area.value.slice(area.selectionStart, area.selectionEnd))).toBe('"teleport"');

  await agents.fillForm({ config: '{"steps": [{"id": "greet", "kind": "template", "template": "hello {{ input.who }}"}]}' });
  await agents.dialog.getByRole('button', { name: 'Install agent' }).click();
  await expect(agents.dialog).toBeHidden();
  await expect(agents.card('Support bot')).toContainText('v1.2.0');

  await agents.card('Support bot').getByRole('link', { name: 'Support bot' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Support bot' })).toBeVisible();
  await expect(page.getByTestId('agent-config')).toContainText('"template": "hello {{ input.who }}"');
  await page.getByRole('button', { name: 'Edit agent' }).click();
  await agents.fillForm({ version: '1.3.0' });
  await agents.dialog.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByTestId('agent-version')).toHaveText('1.3.0');

  await page.getByRole('button', { name: 'Delete agent' }).click();
  await page.getByRole('dialog', { name: 'Delete Support bot?' }).getByRole('button', { name: 'Delete agent' }).click();
  await expect(page).toHaveURL(/\/agents$/);
  await expect(page.getByText('No agents yet.')).toBeVisible();
});

test('the settings page has its five tabs and shows the database it runs on', async ({ page, owner }) => {
  await openHydrated(page, '/');
  const shell = new Shell(page);
  await expect(page).toHaveURL(/\/agents$/);
  await shell.settingsLink.click();
  await expect(page).toHaveURL(/\/settings\/general$/);
  for (const tab of ['General', 'Members', 'Environments', 'API Tokens', 'Audit log']) {
    await expect(shell.settingsTab(tab)).toBeVisible();
  }
  await expect(page.getByTestId('db-status')).toContainText('Connected to SQLite');
  await expect(page.getByText(owner.workspaceName, { exact: true }).first()).toBeVisible();
});

// Pages are lazily loaded WASM chunks (docs/bundle.md): the server-rendered head still names
// each page, a first visit hydrates the page it opens, and moving to a page of another group
// fetches that group's chunk and shows it.
test('every page is named in the server-rendered head, and pages of other groups load on the way', async ({ page, owner: _ }) => {
  const titles: Record<string, string> = {
    '/agents': 'Agents · Tessera',
    '/knowledge-base': 'Knowledge base · Tessera',
    '/settings/tokens': 'Workspace settings · Tessera',
    '/settings/members': 'Workspace settings · Tessera',
  };
  for (const [path, title] of Object.entries(titles)) {
    const html = await (await page.request.get(path)).text();
    expect(html, path).toContain(`<title>${title}</title>`);
  }

  await openHydrated(page, '/agents');
  await expect(page).toHaveTitle('Agents · Tessera');
  const shell = new Shell(page);
  await shell.knowledgeBaseLink.click();
  await expect(page.getByRole('heading', { name: 'Knowledge base', level: 1 })).toBeVisible();
  await expect(page).toHaveTitle('Knowledge base · Tessera');
  await shell.settingsLink.click();
  await shell.settingsTab('API Tokens').click();
  await expect(page.getByRole('button', { name: 'Create API token' })).toBeEnabled();
  await expect(page).toHaveTitle('Workspace settings · Tessera');
});
