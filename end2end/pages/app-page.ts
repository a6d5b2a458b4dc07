import type { Page } from '@playwright/test';

/** Navigation that waits until the WASM app has hydrated the server-rendered page. */
export async function openHydrated(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await page.locator('html[data-hydrated="true"]').waitFor();
}
