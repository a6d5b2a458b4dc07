import { test, expect } from '../fixtures';
import { HomePage } from '../pages/home-page';

test('the home page renders, hydrates and reads the database through a server function', async ({ page }) => {
  const home = new HomePage(page);
  await home.open();
  await expect(home.heading).toHaveText('Tessera');
  await expect(home.databaseStatus).toContainText('Connected to SQLite');

  // A click is handled by the hydrated app, which calls the server function again.
  const call = page.waitForResponse((r) => r.url().endsWith('/rpc/get_system_info') && r.ok());
  await home.checkAgain.click();
  await call;
  await expect(home.checkCount).toHaveText('Checked 1 more time');
  await expect(home.databaseStatus).toContainText('migrations applied');
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
