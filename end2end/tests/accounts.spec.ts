import { test, expect, OWNER_PASSWORD } from '../fixtures';
import { openHydrated } from '../pages/app-page';
import { SetupPage, SignInPage } from '../pages/auth-pages';
import { Shell } from '../pages/shell';

test('first run: setup, sign out, a wrong password is refused generically, sign in again', async ({ page, server }) => {
  // Any address leads to setup while no user exists; once set up, that same address renders.
  await openHydrated(page, '/settings/environments');
  const setup = new SetupPage(page);
  await expect(setup.heading).toBeVisible();

  await setup.fill({ workspaceName: 'Acme <AI>', name: 'Olivia', email: 'olivia@example.com', password: 'too short' });
  await setup.submit.click();
  await expect(setup.password).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#setup-password-error')).toContainText('12');

  await setup.password.fill(OWNER_PASSWORD);
  await setup.submit.click();
  const shell = new Shell(page);
  // HTML in a name is shown as text, never interpreted.
  await expect(shell.workspaceName).toHaveText('Acme <AI>');
  await expect(page.getByRole('heading', { name: 'Environments' })).toBeVisible();

  // The session survives a reload (an HttpOnly cookie the page cannot read).
  await openHydrated(page, '/settings/general');
  await expect(shell.workspaceName).toHaveText('Acme <AI>');
  expect(await page.evaluate(() => document.cookie)).not.toContain('tessera_session');

  // Setup is gone for good, also for a direct call.
  const again = await page.request.post(`${server.url}/rpc/setup_workspace`, {
    form: { workspace_name: 'Other', name: 'Mallory', email: 'm@example.com', password: OWNER_PASSWORD },
    headers: { 'sec-fetch-site': 'same-origin' },
  });
  expect(again.status()).toBe(409);

  // The account menu closes on Escape and gives focus back to its button.
  await shell.accountMenu.click();
  await expect(shell.signOut).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(shell.signOut).toBeHidden();
  await expect(shell.accountMenu).toBeFocused();

  await shell.signOutNow();
  const signIn = new SignInPage(page);
  await expect(signIn.heading).toBeVisible();

  // Unknown email and wrong password get the very same answer.
  await signIn.signIn('nobody@example.com', OWNER_PASSWORD);
  await expect(signIn.alert).toHaveText('Invalid email or password.');
  await signIn.signIn('olivia@example.com', 'wrong password, surely');
  await expect(signIn.alert).toHaveText('Invalid email or password.');

  await signIn.signIn('olivia@example.com', OWNER_PASSWORD);
  await expect(shell.workspaceName).toHaveText('Acme <AI>');
  // Still at the address asked for before signing in.
  await expect(page).toHaveURL(/\/settings\/general$/);
});

test('signing out on one page signs out every later request', async ({ page, owner }) => {
  await openHydrated(page, '/agents');
  const shell = new Shell(page);
  await expect(shell.workspaceName).toHaveText(owner.workspaceName);
  await shell.signOutNow();
  await expect(new SignInPage(page).heading).toBeVisible();
  await openHydrated(page, '/settings/audit');
  await expect(new SignInPage(page).heading).toBeVisible();
});

test.describe('not found', () => {
  // The browser logs the document's own 404 status; that one is expected here.
  test.use({ allowedConsoleErrors: [/status of 404/] });

  test('an unknown address shows the not-found page, hydrated', async ({ page }) => {
    const response = await page.goto('/no/such/page');
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
    await page.locator('html[data-hydrated="true"]').waitFor();
  });
});
