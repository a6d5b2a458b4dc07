import { test, expect, OWNER_PASSWORD } from '../fixtures';
import { openHydrated } from '../pages/app-page';
import { AgentsPage } from '../pages/agents-page';
import { EnvironmentsTab } from '../pages/environments-tab';
import { MembersTab } from '../pages/members-tab';
import { Shell } from '../pages/shell';

test('an invite link lets a member join once; a member sees no write controls', async ({ page, browser, server, owner }) => {
  const members = new MembersTab(page);
  await members.open();
  await expect(members.member(owner.email)).toContainText('(you)');

  const link = await members.invite('mia@example.com', 'Member');
  expect(link).toMatch(new RegExp(`^${server.url}/invite/\\S+$`));
  await expect(members.invites).toHaveCount(1);
  await expect(members.invites.first()).toContainText('mia@example.com');

  // The invitee is another person: another browser context, no cookies.
  const invitee = await browser.newContext({ baseURL: server.url });
  const miaPage = await invitee.newPage();
  await openHydrated(miaPage, link);
  await expect(miaPage.getByRole('heading', { name: `Join ${owner.workspaceName}` })).toBeVisible();
  await expect(miaPage.getByLabel('Email')).toHaveValue('mia@example.com');
  await miaPage.getByLabel('Your name').fill('Mia Member');
  await miaPage.getByLabel('Password').fill(OWNER_PASSWORD);
  await miaPage.getByRole('button', { name: 'Join workspace' }).click();

  const miaShell = new Shell(miaPage);
  await expect(miaShell.workspaceName).toHaveText(owner.workspaceName);
  await expect(miaPage).toHaveURL(/\/agents$/);
  await expect(miaPage.getByRole('heading', { name: 'Agents', level: 1 })).toBeVisible();
  await expect(new AgentsPage(miaPage).installButton).toHaveCount(0);
  const miaEnvironments = new EnvironmentsTab(miaPage);
  await miaEnvironments.open();
  await expect(miaPage.getByRole('heading', { name: 'Environments' })).toBeVisible();
  await expect(miaEnvironments.newButton).toHaveCount(0);
  const miaMembers = new MembersTab(miaPage);
  await miaMembers.open();
  await expect(miaMembers.member('mia@example.com')).toContainText('(you)');
  await expect(miaMembers.inviteButton).toHaveCount(0);
  await expect(miaPage.getByRole('button', { name: /Remove/ })).toHaveCount(0);
  await expect(miaPage.getByLabel(/Role of/)).toHaveCount(0);
  await openHydrated(miaPage, '/settings/general');
  await expect(miaPage.getByLabel('Workspace name')).toHaveCount(0);

  // The link worked once.
  const again = await (await browser.newContext({ baseURL: server.url })).newPage();
  await openHydrated(again, link);
  await expect(again.getByRole('heading', { name: 'This invite link does not work' })).toBeVisible();

  // The owner sees the new member without a reload of the data they already had.
  await members.open();
  await expect(members.member('mia@example.com')).toContainText('Mia Member');
  await expect(members.invites).toHaveCount(0);

  // Promote, then remove; the member's next request is refused.
  await members.member('mia@example.com').getByLabel('Role of Mia Member').selectOption('admin');
  await expect(members.notice).toHaveText('Mia Member is now Admin.');
  await members.open();
  await expect(members.member('mia@example.com').getByLabel('Role of Mia Member')).toHaveValue('admin');
  await members.member('mia@example.com').getByRole('button', { name: 'Remove Mia Member' }).click();
  await page.getByRole('dialog', { name: 'Remove Mia Member?' }).getByRole('button', { name: 'Remove member' }).click();
  await expect(members.member('mia@example.com')).toHaveCount(0);
  await expect(members.notice).toHaveText('Mia Member was removed from the workspace.');
  await openHydrated(miaPage, '/settings/members');
  await expect(miaPage.getByRole('heading', { name: 'Sign in to Tessera' })).toBeVisible();
  await invitee.close();
});

test('the last owner cannot demote themselves; renaming the workspace updates the navbar', async ({ page, owner }) => {
  const members = new MembersTab(page);
  await members.open();
  const me = members.member(owner.email);
  await me.getByLabel(`Role of ${owner.name}`).selectOption('member');
  await expect(me.getByRole('alert')).toContainText('owner');
  await expect(me.getByLabel(`Role of ${owner.name}`)).toHaveValue('owner');

  await new Shell(page).settingsTab('General').click();
  const name = page.getByLabel('Workspace name');
  await name.fill('');
  await page.getByRole('button', { name: 'Save name' }).click();
  await expect(page.locator('#workspace-name-input-error')).not.toBeEmpty();
  await name.fill('Renamed & <Co>');
  await page.getByRole('button', { name: 'Save name' }).click();
  await expect(new Shell(page).workspaceName).toHaveText('Renamed & <Co>');
});
