import { test, expect } from '../fixtures';
import type { Locator, Page } from '@playwright/test';
import { openHydrated } from '../pages/app-page';
import { callServerFn } from '../support/rpc';
import { addPerson } from '../support/people';
import { TokensTab, seedToken, type TokenView } from '../pages/tokens-tab';
import { DeploymentsTab } from '../pages/deployments-tab';
import { Shell } from '../pages/shell';

const TOKEN_SHAPE = /^tsr_[0-9A-Za-z]{50}$/;

async function menuEntries(tab: TokensTab, name: string): Promise<string[]> {
  const menu = await tab.openMenu(name);
  // The entries' names (an entry may carry a description line under its name).
  const entries = await menu.getByRole('menuitem').evaluateAll((items) => items.map((i) => i.querySelector('.menu-item-label')?.textContent ?? ''));
  await tab.page.keyboard.press('Escape');
  await expect(menu).toBeHidden();
  await expect(tab.menuButton(name)).toBeFocused();
  return entries;
}

/** The whole page's HTML, cookies and storage: where a full token must never be. */
async function pageKeeps(page: Page, secret: string): Promise<boolean> {
  const html = await page.content();
  const stored = await page.evaluate(() =>
    JSON.stringify({ local: { ...window.localStorage }, session: { ...window.sessionStorage }, cookies: document.cookie }),
  );
  return html.includes(secret) || stored.includes(secret) || page.url().includes(secret);
}

test('create, shown once, copy prefix, suspend, activate, regenerate, revoke, delete', async ({ page, context, owner: _ }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const tab = new TokensTab(page);
  await tab.open();
  await expect(tab.empty).toContainText('No API tokens yet.');

  // The name is required: the error shows next to the field and nothing is created.
  await tab.createButton.click();
  const dialog = tab.dialog('Create API token');
  await expect(dialog.getByLabel('Name')).toBeFocused();
  await dialog.getByRole('button', { name: 'Create token' }).click();
  await expect(dialog.locator('#token-name-error')).toHaveText('Enter a name for the token.');
  await expect(dialog.getByLabel('Name')).toHaveAttribute('aria-invalid', 'true');
  // Escape closes and focus goes back to the button that opened the dialog.
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(tab.createButton).toBeFocused();

  // Without expiry: the full token, once, with a warning, Copy and Done.
  await tab.create('CI deploys');
  const value = dialog.getByLabel('Your new token');
  await expect(value).toHaveValue(TOKEN_SHAPE);
  await expect(value).toHaveAttribute('readonly', '');
  await expect(dialog.getByRole('alert')).toContainText('you won’t be able to see it again');
  await expect(dialog.getByRole('button', { name: 'Copy token' })).toBeVisible();
  const plaintext = await value.inputValue();
  // The list behind the dialog already has it, by prefix only.
  const ci = tab.token('CI deploys');
  await expect(ci.getByTestId('token-prefix')).toHaveText(`${plaintext.slice(0, 8)}…`);
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(dialog).toBeHidden();
  await expect(tab.createButton).toBeFocused();
  await expect(ci.getByTestId('token-status')).toHaveText('Active');
  await expect(ci).toContainText('Account');
  await expect(ci).toContainText('Never');
  await expect(ci).toContainText('0 calls');
  await expect(ci).toContainText(owner_name());
  expect(await pageKeeps(page, plaintext)).toBe(false);
  await tab.open();
  await expect(ci).toBeVisible();
  expect(await pageKeeps(page, plaintext)).toBe(false);

  // With an expiry of 30 days.
  await tab.create('Nightly report', '30 days');
  await expect(dialog.getByLabel('Your new token')).toHaveValue(TOKEN_SHAPE);
  await dialog.getByRole('button', { name: 'Done' }).click();
  const nightly = tab.token('Nightly report');
  await expect(nightly).toContainText(/Expiresin (29 days|30 days|1 month)/);
  await expect(tab.tokens).toHaveCount(2);

  // Copy prefix puts the prefix on the clipboard.
  await tab.choose('CI deploys', 'Copy prefix');
  await expect(page.getByRole('status').filter({ hasText: 'Copied the prefix' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(plaintext.slice(0, 8));

  // Only what the state allows is offered.
  expect(await menuEntries(tab, 'CI deploys')).toEqual(['Copy prefix', 'Regenerate', 'Suspend', 'Revoke']);

  await tab.choose('CI deploys', 'Suspend');
  await expect(ci.getByTestId('token-status')).toHaveText('Suspended');
  expect(await menuEntries(tab, 'CI deploys')).toEqual(['Copy prefix', 'Regenerate', 'Activate', 'Revoke']);

  await tab.choose('CI deploys', 'Activate');
  await expect(ci.getByTestId('token-status')).toHaveText('Active');

  // Regenerate: confirm with a grace period choice, then the new value once.
  await tab.choose('CI deploys', 'Regenerate');
  const regenerate = tab.dialog('Regenerate CI deploys');
  await expect(regenerate.getByRole('radio', { name: 'Immediately' })).toBeChecked();
  await regenerate.getByRole('radio', { name: 'After 1 hour' }).check();
  await regenerate.getByRole('button', { name: 'Regenerate token' }).click();
  const renewed = regenerate.getByLabel('Your new token');
  await expect(renewed).toHaveValue(TOKEN_SHAPE);
  const newPlaintext = await renewed.inputValue();
  expect(newPlaintext).not.toBe(plaintext);
  await regenerate.getByRole('button', { name: 'Done' }).click();
  await expect(regenerate).toBeHidden();
  await expect(tab.menuButton('CI deploys')).toBeFocused();
  await expect(ci.getByTestId('token-prefix')).toHaveText(`${newPlaintext.slice(0, 8)}…`);
  expect(await pageKeeps(page, newPlaintext)).toBe(false);

  // Revoke says it is permanent; afterwards only copy and delete remain.
  await tab.choose('CI deploys', 'Revoke');
  const revoke = tab.dialog('Revoke CI deploys?');
  await expect(revoke).toContainText('permanent');
  await revoke.getByRole('button', { name: 'Revoke token' }).click();
  await expect(revoke).toBeHidden();
  await expect(ci.getByTestId('token-status')).toHaveText('Revoked');
  expect(await menuEntries(tab, 'CI deploys')).toEqual(['Copy prefix', 'Delete']);

  await tab.choose('CI deploys', 'Delete');
  const remove = tab.dialog('Delete CI deploys?');
  await remove.getByRole('button', { name: 'Delete token' }).click();
  await expect(ci).toHaveCount(0);
  await expect(tab.tokens).toHaveCount(1);
  await expect(tab.range).toHaveText('1–1 of 1');

  // The audit log has the whole story, newest first.
  await new Shell(page).settingsTab('Audit log').click();
  await expect(page.getByTestId('audit-event').first()).toHaveAttribute('data-action', 'token.deleted');
});

function owner_name(): string {
  return 'Olivia Owner';
}

test('regenerate: the old value stops working at once, the new one works (REST /api/tokens/self)', async ({ page, server, owner: _ }) => {
  const created = await seedToken(page.request, server.url, 'Build server');
  const self = (token: string) =>
    page.request.get(`${server.url}/api/tokens/self`, { headers: { authorization: `Bearer ${token}` } });
  expect((await self(created.plaintext)).status()).toBe(200);

  const tab = new TokensTab(page);
  await tab.open();
  await tab.choose('Build server', 'Regenerate');
  const dialog = tab.dialog('Regenerate Build server');
  await dialog.getByRole('button', { name: 'Regenerate token' }).click();
  const renewed = dialog.getByLabel('Your new token');
  await expect(renewed).toHaveValue(TOKEN_SHAPE);
  const newValue = await renewed.inputValue();
  await dialog.getByRole('button', { name: 'Done' }).click();

  expect((await self(created.plaintext)).status()).toBe(401);
  expect((await self(newValue)).status()).toBe(200);
});

test('a refused action is explained and the list refreshes', async ({ page, server, owner: _ }) => {
  const created = await seedToken(page.request, server.url, 'Shared token');
  const tab = new TokensTab(page);
  await tab.open();
  const token = tab.token('Shared token');
  await expect(token.getByTestId('token-status')).toHaveText('Active');

  // Someone else revokes it meanwhile.
  await callServerFn(page.request, server.url, 'revoke_token', { id: created.token.id });
  await tab.choose('Shared token', 'Suspend');
  await expect(page.getByRole('alert')).toContainText(/revoked/i);
  await expect(token.getByTestId('token-status')).toHaveText('Revoked');
  // An expired token offers no regenerate, suspend or activate.
  await seedToken(page.request, server.url, 'Short lived', { expires_at_ms: String(Date.now() + 1500) });
  await expect.poll(async () => {
    await tab.open();
    return tab.token('Short lived').getByTestId('token-status').textContent();
  }, { timeout: 10_000 }).toBe('Expired');
  const menu = await tab.openMenu('Short lived');
  await expect(menu.getByRole('menuitem')).toHaveText(['Copy prefix', 'Revoke']);
});

test('a member sees every token but no write controls', async ({ page, browser, server, owner: _ }) => {
  await seedToken(page.request, server.url, 'Owner token');
  const member = await addPerson(browser, page.request, server.url, 'member');
  const tab = new TokensTab(member.page);
  await tab.open();
  await expect(tab.token('Owner token')).toBeVisible();
  await expect(tab.createButton).toHaveCount(0);
  await expect(member.page.getByRole('button', { name: /^Actions for / })).toHaveCount(0);
  await tab.tableToggle.click();
  await expect(tab.table).toBeVisible();
  await expect(member.page.getByRole('button', { name: /^Actions for / })).toHaveCount(0);
  // The detail with its usage chart is for everyone.
  await member.page.getByRole('button', { name: 'Details of Owner token' }).click();
  const detail = tab.dialog('Owner token');
  await expect(detail.getByRole('img', { name: /Calls per day, last 30 days: 0 in total/ })).toBeVisible();
  await member.page.keyboard.press('Escape');
  await expect(member.page.getByRole('button', { name: 'Details of Owner token' })).toBeFocused();
  // The server refuses a member's write regardless of the UI.
  await expect(callServerFn(member.context.request, server.url, 'create_token', { name: 'sneaky' })).rejects.toThrow(/403/);
  expect(member.problems).toEqual([]);
  await member.context.close();
});

test('filters, search, sort and the card/table toggle work and persist', async ({ page, server, owner: _ }) => {
  for (const name of ['alpha', 'Beta', 'gamma', 'delta']) await seedToken(page.request, server.url, name);
  const ids = Object.fromEntries(
    (await callServerFn<{ items: TokenView[] }>(page.request, server.url, 'list_tokens', {})).items.map((t) => [t.name, t.id]),
  );
  await callServerFn(page.request, server.url, 'suspend_token', { id: ids.Beta });
  await callServerFn(page.request, server.url, 'revoke_token', { id: ids.gamma });

  const tab = new TokensTab(page);
  await tab.open();
  // Newest first by default.
  await expect(tab.names()).toHaveText(['Details of delta', 'Details of gamma', 'Details of Beta', 'Details of alpha'].map((n) => n.replace('Details of ', '')));

  await tab.search.fill('ALP');
  await expect(tab.names()).toHaveText(['alpha']);
  await expect(page).toHaveURL(/q=ALP/);
  await tab.search.fill('');
  await expect(tab.tokens).toHaveCount(4);

  await tab.statusFilter.selectOption({ label: 'Suspended' });
  await expect(tab.names()).toHaveText(['Beta']);
  await tab.statusFilter.selectOption({ label: 'Revoked' });
  await expect(tab.names()).toHaveText(['gamma']);
  await tab.scopeFilter.selectOption({ label: 'Agent deployment' });
  await expect(tab.empty).toContainText('No tokens match these filters.');
  await tab.empty.getByRole('button', { name: 'Clear filters' }).click();
  await expect(tab.tokens).toHaveCount(4);

  await tab.sort.selectOption({ label: 'Name (A–Z)' });
  await expect(tab.names()).toHaveText(['alpha', 'Beta', 'delta', 'gamma']);
  await tab.statusFilter.selectOption({ label: 'Active' });
  await expect(tab.names()).toHaveText(['alpha', 'delta']);

  // Cards by default; the table is remembered across a reload, as are the filters.
  await expect(tab.cardList).toBeVisible();
  await expect(tab.cardsToggle).toHaveAttribute('aria-pressed', 'true');
  await tab.tableToggle.click();
  await expect(tab.table).toBeVisible();
  await expect(tab.table.getByRole('row')).toHaveCount(3);
  // The choice is a cookie the server reads too: it renders the table, no flash of cards.
  const served = await (await page.request.get(page.url())).text();
  expect(served).toMatch(/<table[^>]*aria-label="API tokens"/);
  expect(served).not.toMatch(/<ul[^>]*aria-label="API tokens"/);
  await tab.open(new URL(page.url()).search);
  await expect(tab.table).toBeVisible();
  await expect(tab.tableToggle).toHaveAttribute('aria-pressed', 'true');
  await expect(tab.statusFilter).toHaveValue('active');
  await expect(tab.sort).toHaveValue('name_asc');
  await expect(tab.names()).toHaveText(['alpha', 'delta']);
  await tab.cardsToggle.click();
  await tab.open();
  await expect(tab.cardList).toBeVisible();
});

test('pages of 25 keep a long list small', async ({ page, server, owner: _ }) => {
  for (let i = 1; i <= 30; i++) await seedToken(page.request, server.url, `token ${String(i).padStart(2, '0')}`);
  const tab = new TokensTab(page);
  await tab.open();
  await expect(tab.tokens).toHaveCount(25);
  await expect(tab.range).toHaveText('1–25 of 30');
  await expect(page.getByRole('button', { name: 'Previous' })).toBeDisabled();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(tab.range).toHaveText('26–30 of 30');
  await expect(tab.tokens).toHaveCount(5);
  await expect(tab.names().first()).toHaveText('token 05');
  await expect(page.getByRole('button', { name: 'Next' })).toBeDisabled();
});

test('a deployment token made on the Deployments tab shows with its scope in API Tokens', async ({ page, server, owner: _ }) => {
  const environment = await callServerFn<{ id: string }>(page.request, server.url, 'create_environment', {
    name: 'Production', purpose: 'production', description: '',
  });
  await callServerFn(page.request, server.url, 'create_environment', { name: 'Staging', purpose: 'staging', description: '' });
  const agent = await callServerFn<{ id: string }>(page.request, server.url, 'install_agent', {
    name: 'Support bot', description: '', version: '1.0.0', config: '{}',
  });
  expect(environment.id).toBeTruthy();

  const deployments = new DeploymentsTab(page);
  await deployments.open(agent.id);
  await expect(page.getByTestId('tokens-empty')).toContainText('No deployment tokens yet.');
  await deployments.createButton.click();
  const dialog = page.getByRole('dialog', { name: 'Create deployment token for Support bot' });
  await dialog.getByLabel('Name').fill('Support bot prod');
  // No environment chosen: refused next to the field.
  await dialog.getByRole('button', { name: 'Create deployment token' }).click();
  await expect(dialog.locator('#token-environment-error')).toHaveText('Choose an environment.');
  await dialog.getByLabel('Environment').selectOption({ label: 'Production (Production)' });
  await dialog.getByRole('button', { name: 'Create deployment token' }).click();
  await expect(dialog.getByLabel('Your new token')).toHaveValue(TOKEN_SHAPE);
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(dialog).toBeHidden();
  const row = deployments.token('Support bot prod');
  await expect(row.getByTestId('token-scope')).toHaveText('Production');
  await expect(row.getByTestId('token-status')).toHaveText('Active');

  const tab = new TokensTab(page);
  await tab.open();
  await expect(tab.token('Support bot prod').getByTestId('token-scope')).toHaveText('Agent deployment (Support bot · Production)');
  await tab.scopeFilter.selectOption({ label: 'Agent deployment' });
  await expect(tab.names()).toHaveText(['Support bot prod']);
});

test.describe('at phone width', () => {
  test.use({ viewport: { width: 375, height: 740 } });

  test('cards, table and dialogs fit 375 px without sideways scrolling', async ({ page, server, owner: _ }) => {
    await seedToken(page.request, server.url, 'A token with a fairly long descriptive name for phones');
    const tab = new TokensTab(page);
    await tab.open();
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    await expect(tab.tokens).toHaveCount(1);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await tab.tableToggle.click();
    await expect(tab.table).toBeVisible();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await tab.createButton.click();
    await expect(tab.dialog('Create API token')).toBeVisible();
    expect(await overflow()).toBeLessThanOrEqual(0);
  });
});

test.describe('in a Los Angeles browser', () => {
  test.use({ timezoneId: 'America/Los_Angeles', locale: 'en-US' });

  test('expiry is a date and time in the reader’s zone, shown exactly before Create; presets mean what they say', async ({ page, server, owner: _ }) => {
    const tab = new TokensTab(page);
    await tab.open();
    await tab.createButton.click();
    const dialog = tab.dialog('Create API token');
    await dialog.getByLabel('Name').fill('Year end');
    const preview = dialog.getByTestId('token-expiry-preview');
    await expect(preview).toHaveText('The token never expires.');
    await dialog.getByLabel('Expiration').selectOption({ label: 'Custom date and time' });
    // The zone the time is read in is named next to the field.
    await expect(dialog.getByLabel('Expires at')).toBeVisible();
    await expect(dialog).toContainText('(America/Los_Angeles)');
    await dialog.getByLabel('Expires at').fill('2030-12-31T23:30');
    await expect(preview).toHaveText(/^Expires Tue, Dec 31, 2030, 11:30\sPM \(America\/Los_Angeles\)\.$/);
    await dialog.getByRole('button', { name: 'Create token' }).click();
    await expect(dialog.getByLabel('Your new token')).toHaveValue(TOKEN_SHAPE);
    await dialog.getByRole('button', { name: 'Done' }).click();
    const listed = await callServerFn<{ items: (TokenView & { expires_at_ms: number })[] }>(page.request, server.url, 'list_tokens', {});
    // 23:30 on Dec 31 in Los Angeles (UTC−8) is 07:30 UTC on Jan 1.
    expect(listed.items.find((t) => t.name === 'Year end')?.expires_at_ms).toBe(Date.UTC(2031, 0, 1, 7, 30));

    // "7 days" is seven days from now, and reads so.
    await tab.create('Weekly', '7 days');
    await expect(dialog.getByLabel('Your new token')).toHaveValue(TOKEN_SHAPE);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect(tab.token('Weekly')).toContainText('Expiresin 7 days');
  });
});

test('times stay true while the page is open: just now, they tick, and an expiry that passes turns the token Expired', async ({ page, server, owner: _ }) => {
  // The browser's timers run on a clock the test can move forward; the server's is real.
  await page.clock.install();
  await seedToken(page.request, server.url, 'Short lived', { expires_at_ms: String(Date.now() + 45_000) });
  const tab = new TokensTab(page);
  await tab.open();
  const short = tab.token('Short lived');
  await expect(short.getByTestId('token-status')).toHaveText('Active');
  await expect(short).toContainText('Expiresin less than a minute');

  // A token made now is "just now", never "in a moment", whatever the last tick was.
  await tab.create('Fresh');
  await tab.dialog('Create API token').getByRole('button', { name: 'Done' }).click();
  const fresh = tab.token('Fresh');
  await expect(fresh).toContainText('Createdjust now');

  // A minute on, without a reload: the labels have aged and the expiry has passed.
  await page.clock.fastForward('01:05');
  await expect(fresh).toContainText('Created1 minute ago');
  await expect(short.getByTestId('token-status')).toHaveText('Expired');
  await expect(short).toContainText('Expiresjust now');
  const menu = await tab.openMenu('Short lived');
  await expect(menu.getByRole('menuitem')).toHaveText(['Copy prefix', 'Revoke']);
});

test('the list stays current without a reload, and the detail’s count agrees with its chart', async ({ page, server, owner: _ }) => {
  await page.clock.install();
  const build = await seedToken(page.request, server.url, 'Build server');
  const nightly = await seedToken(page.request, server.url, 'Nightly');
  const tab = new TokensTab(page);
  await tab.open();
  const card = tab.token('Build server');
  await expect(card.getByTestId('token-usage')).toHaveText('0 calls');

  // One API call with the token, and someone else suspends the other one.
  const call = await page.request.get(`${server.url}/api/tokens/self`, { headers: { authorization: `Bearer ${build.plaintext}` } });
  expect(call.status()).toBe(200);
  await callServerFn(page.request, server.url, 'suspend_token', { id: nightly.token.id });
  // The server writes usage to the database every 2 s.
  type Counted = TokenView & { usage_count: number };
  await expect
    .poll(async () => (await callServerFn<{ items: Counted[] }>(page.request, server.url, 'list_tokens', {})).items.find((t) => t.name === 'Build server')?.usage_count)
    .toBe(1);

  // The detail reads afresh: its count, its chart and the card agree, in the singular.
  await page.getByRole('button', { name: 'Details of Build server', exact: true }).click();
  const detail = tab.dialog('Build server');
  await expect(detail.getByTestId('token-detail-usage')).toHaveText('1 call');
  await expect(detail.getByTestId('usage-caption')).toHaveText('1 call in the last 30 days');
  await page.keyboard.press('Escape');
  await expect(card.getByTestId('token-usage')).toHaveText('1 call');

  // The page asks again on its own: the suspension shows without a reload.
  await expect(tab.token('Nightly').getByTestId('token-status')).toHaveText('Active');
  await page.clock.fastForward('00:16');
  await expect(tab.token('Nightly').getByTestId('token-status')).toHaveText('Suspended');
});

test('the tab and the reveal dialog say how to use a token: header, variable, a curl line and a tsr line for this server, the API reference', async ({ page, context, server, owner: _ }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const curl = `curl -H "Authorization: Bearer $TESSERA_API_TOKEN" ${server.url}/api/tokens/self`;
  const cli = `TESSERA_API_URL=${server.url} tsr auth status`;
  const tab = new TokensTab(page);
  await tab.open();
  await page.getByText('How to use a token').click();
  await expect(page.getByTestId('usage-curl')).toHaveText(curl);
  await expect(page.getByTestId('usage-cli')).toHaveText(cli);
  await page.getByRole('button', { name: 'Copy the tsr command' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(cli);

  const dialog = await tab.create('Scripted');
  const plaintext = await dialog.getByLabel('Your new token').inputValue();
  const help = dialog.getByTestId('usage-help');
  await expect(help.getByTestId('usage-header')).toHaveText('Authorization: Bearer tsr_…');
  await expect(help.getByTestId('usage-curl')).toHaveText(curl);
  await expect(help.getByTestId('usage-cli')).toHaveText(cli);
  // The export line shows the prefix only; its Copy carries the whole value.
  await expect(help.getByTestId('usage-export')).toHaveText(`export TESSERA_API_TOKEN=${plaintext.slice(0, 8)}…`);
  await help.getByRole('button', { name: 'Copy the export line with the token' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`export TESSERA_API_TOKEN=${plaintext}`);

  // The reference opens beside the dialog (the token is still there) and is served here.
  const [reference] = await Promise.all([context.waitForEvent('page'), help.getByRole('link', { name: 'API reference' }).click()]);
  await reference.waitForLoadState();
  expect(reference.url()).toBe(`${server.url}/api/docs`);
  await expect(reference.getByRole('heading', { level: 1 })).toContainText('Tessera API');
  await expect(reference.getByRole('heading', { name: 'GET /api/tokens/self' })).toBeVisible();
  await expect(reference.getByRole('link', { name: '/api/openapi.json', exact: true })).toBeVisible();
  await expect(dialog.getByLabel('Your new token')).toHaveValue(plaintext);
});

test('the reveal dialog: Copy has focus, closing before copying asks first, a refused copy selects the value', async ({ page, context, owner: _ }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const tab = new TokensTab(page);
  await tab.open();
  const dialog = await tab.create('Not copied');
  const value = dialog.getByLabel('Your new token');
  await expect(value).toHaveValue(TOKEN_SHAPE);
  const plaintext = await value.inputValue();
  await expect(dialog.getByRole('button', { name: 'Copy token' })).toBeFocused();

  // Escape before copying asks; "Keep it open" keeps the value.
  await page.keyboard.press('Escape');
  const ask = dialog.getByText('You have not copied the token. Close anyway?');
  await expect(ask).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Keep it open' })).toBeFocused();
  await dialog.getByRole('button', { name: 'Keep it open' }).click();
  await expect(ask).toBeHidden();
  await expect(value).toHaveValue(plaintext);
  // So does a click outside the dialog, and ✕; "Close anyway" closes.
  await page.mouse.click(5, 5);
  await expect(ask).toBeVisible();
  await dialog.getByRole('button', { name: 'Keep it open' }).click();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(ask).toBeVisible();
  await dialog.getByRole('button', { name: 'Close anyway' }).click();
  await expect(dialog).toBeHidden();

  // Once copied, Escape closes at once.
  await tab.create('Copied');
  await dialog.getByRole('button', { name: 'Copy token' }).click();
  await expect(dialog.getByRole('button', { name: 'Copy token' })).toHaveText('Copied');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

test('when the browser refuses the clipboard, the token is selected to copy by hand, and a manual copy counts', async ({ page, owner: _ }) => {
  await page.addInitScript(() => {
    Object.defineProperty(navigator.clipboard, 'writeText', {
      value: () => Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError')),
    });
  });
  const tab = new TokensTab(page);
  await tab.open();
  const dialog = await tab.create('By hand');
  const value = dialog.getByLabel('Your new token');
  await expect(value).toHaveValue(TOKEN_SHAPE);
  await dialog.getByRole('button', { name: 'Copy token' }).click();
  await expect(dialog.getByTestId('copy-refused')).toContainText('The token is selected: press Ctrl+C');
  await expect(value).toBeFocused();
  expect(await value.evaluate((input: HTMLInputElement) => [input.selectionStart, input.selectionEnd])).toEqual([0, 54]);
  // Ctrl+C on the selected value is a copy: closing no longer asks.
  await page.keyboard.press('Control+C');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

/** Words of `scope`'s text that the layout split across two lines. */
async function brokenWords(scope: Locator): Promise<string[]> {
  return scope.evaluate((root) => {
    const broken: string[] = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const word of (node.textContent ?? '').matchAll(/\S+/g)) {
        const range = document.createRange();
        range.setStart(node, word.index ?? 0);
        range.setEnd(node, (word.index ?? 0) + word[0].length);
        const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        if (lines.size > 1) broken.push(word[0]);
      }
    }
    return broken;
  });
}

test.describe('at 1280 px', () => {
  test.use({ viewport: { width: 1280, height: 800 } });

  test('the table wraps between words, and a long name leaves the card’s badge in place', async ({ page, server, owner: _ }) => {
    const production = await callServerFn<{ id: string }>(page.request, server.url, 'create_environment', { name: 'Production', purpose: 'production', description: '' });
    const agent = await callServerFn<{ id: string }>(page.request, server.url, 'install_agent', { name: 'Support bot', description: '', version: '1.0.0', config: '{}' });
    await seedToken(page.request, server.url, 'Support bot · Production', { scope_kind: 'deployment', environment_id: production.id, agent_id: agent.id });
    await seedToken(page.request, server.url, 'Nightly analytics export', { expires_at_ms: String(Date.now() + 90 * 86_400_000) });
    const long = 'Nightly sync of the analytics data warehouse for finance reports';
    await seedToken(page.request, server.url, long);
    await seedToken(page.request, server.url, 'CI deploys');
    const tab = new TokensTab(page);
    await tab.open();

    const card = tab.token(long);
    const title = await card.getByRole('heading').boundingBox();
    const badge = await card.getByTestId('token-status').boundingBox();
    expect(title && badge && Math.abs(badge.y - title.y)).toBeLessThan(8);

    await tab.tableToggle.click();
    await expect(tab.table).toBeVisible();
    expect(await brokenWords(tab.table)).toEqual([]);
  });
});

test.describe('at phone width, the settings tabs', () => {
  test.use({ viewport: { width: 375, height: 740 } });

  test('scroll the current tab into view', async ({ page, owner: _ }) => {
    const shell = new Shell(page);
    for (const [path, name] of [['/settings/tokens', 'API Tokens'], ['/settings/audit', 'Audit log']]) {
      await openHydrated(page, path);
      const tab = shell.settingsTab(name);
      await expect(tab).toHaveAttribute('aria-current', 'page');
      // Wholly inside the screen's width (its underline hangs 1 px below the bar, by design).
      const box = await tab.boundingBox();
      expect(box && box.x >= 0 && box.x + box.width <= 375).toBe(true);
      await expect(tab).toBeInViewport({ ratio: 0.9 });
    }
  });
});

test('Suspend shows its work on the card and reads as Deactivate; the name counter warns near the limit and cuts nothing', async ({ page, server, owner: _ }) => {
  await seedToken(page.request, server.url, 'Slow one');
  const tab = new TokensTab(page);
  await tab.open();
  // The server's answer waits until the test lets it through.
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/rpc/suspend_token', async (route) => {
    await released;
    await route.continue();
  });
  const menu = await tab.openMenu('Slow one');
  const suspend = menu.getByRole('menuitem', { name: 'Suspend', exact: true });
  await expect(suspend).toHaveAccessibleDescription('Deactivate: refuse API calls until activated again');
  await suspend.click();
  const token = tab.token('Slow one');
  await expect(token.getByTestId('token-progress')).toHaveText('Suspending…');
  await expect(token).toHaveAttribute('aria-busy', 'true');
  release();
  await expect(token.getByTestId('token-status')).toHaveText('Suspended');
  await expect(token.getByTestId('token-progress')).toHaveText('');
  await expect(token).not.toHaveAttribute('aria-busy', 'true');

  await tab.createButton.click();
  const dialog = tab.dialog('Create API token');
  const name = dialog.getByLabel('Name');
  const counter = dialog.getByTestId('field-counter');
  await name.fill('x'.repeat(50));
  await expect(counter).toHaveText('');
  await name.fill('x'.repeat(60));
  await expect(counter).toHaveText('60 of 64 characters');
  // Too long (say, pasted): kept whole, counted, marked, and refused with the reason.
  await name.fill('y'.repeat(70));
  await expect(name).toHaveValue('y'.repeat(70));
  await expect(counter).toContainText('70 of 64 characters: 6 too many.');
  await expect(name).toHaveAttribute('aria-invalid', 'true');
  await dialog.getByRole('button', { name: 'Create token' }).click();
  await expect(dialog.locator('#token-name-error')).toContainText('at most 64 characters');
  await expect(tab.tokens).toHaveCount(1);
});

test('the usage chart: labelled axes, the day under the pointer, zero days as zero, the numbers as a table', async ({ page, server, owner: _ }) => {
  const build = await seedToken(page.request, server.url, 'Build server');
  for (let i = 0; i < 2; i++) {
    const call = await page.request.get(`${server.url}/api/tokens/self`, { headers: { authorization: `Bearer ${build.plaintext}` } });
    expect(call.status()).toBe(200);
  }
  type Counted = TokenView & { usage_count: number };
  await expect
    .poll(async () => (await callServerFn<{ items: Counted[] }>(page.request, server.url, 'list_tokens', {})).items[0]?.usage_count)
    .toBe(2);
  const tab = new TokensTab(page);
  await tab.open();
  await page.getByRole('button', { name: 'Details of Build server', exact: true }).click();
  const detail = tab.dialog('Build server');
  const first = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(Date.now() - 29 * 86_400_000);

  // Axes: the peak and zero up the side, the first day and today along the bottom.
  await expect(detail.getByTestId('usage-axis-y')).toHaveText('2calls0');
  await expect(detail.getByTestId('usage-axis-x')).toHaveText(`${first}day (UTC)Today`);
  // The day under the pointer, with its count; a day without calls says 0.
  const days = detail.getByTestId('usage-day');
  await expect(days).toHaveCount(30);
  const readout = detail.getByTestId('usage-readout');
  await days.last().hover();
  await expect(readout).toHaveText('Today: 2 calls');
  await days.first().hover();
  await expect(readout).toHaveText(`${first}: 0 calls`);
  // The same figures as a table.
  await detail.getByText('Show the numbers').click();
  const table = detail.getByRole('table', { name: 'Calls per day, last 30 days: 2 in total, at most 2 on one day' });
  await expect(table.getByRole('row')).toHaveCount(31);
  await expect(table.getByRole('row').nth(1)).toHaveText(`${first}0`);
  await expect(table.getByRole('row').last()).toHaveText('Today2');
});

test('after a regeneration with a grace period the card and the detail say until when the old value works, and the grace can end now', async ({ page, server, owner: _ }) => {
  const created = await seedToken(page.request, server.url, 'Build server');
  const self = (token: string) => page.request.get(`${server.url}/api/tokens/self`, { headers: { authorization: `Bearer ${token}` } });
  const tab = new TokensTab(page);
  await tab.open();
  const card = tab.token('Build server');
  await expect(card.getByTestId('token-grace')).toHaveCount(0);

  await tab.choose('Build server', 'Regenerate');
  const dialog = tab.dialog('Regenerate Build server');
  await dialog.getByRole('radio', { name: 'After 1 hour' }).check();
  await dialog.getByRole('button', { name: 'Regenerate token' }).click();
  await expect(dialog.getByLabel('Your new token')).toHaveValue(TOKEN_SHAPE);
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(card.getByTestId('token-grace')).toContainText(/^Previous value valid until \d{1,2}:\d{2}/);
  expect((await self(created.plaintext)).status()).toBe(200);

  await page.getByRole('button', { name: 'Details of Build server', exact: true }).click();
  const detail = tab.dialog('Build server');
  await expect(detail.getByTestId('token-grace')).toContainText('Previous value valid until');
  await detail.getByRole('button', { name: 'End grace now for Build server' }).click();
  await expect(detail.getByTestId('token-grace')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(card.getByTestId('token-grace')).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: 'its previous value no longer works' })).toBeVisible();
  expect((await self(created.plaintext)).status()).toBe(401);
});
