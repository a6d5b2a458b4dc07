import type { Locator, Page } from '@playwright/test';
import { openHydrated } from './app-page';

export class HomePage {
  readonly heading: Locator;
  readonly databaseStatus: Locator;
  readonly checkAgain: Locator;
  readonly checkCount: Locator;

  constructor(private readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1 });
    this.databaseStatus = page.getByTestId('db-status');
    this.checkAgain = page.getByRole('button', { name: 'Check again' });
    this.checkCount = page.getByTestId('check-count');
  }

  async open(): Promise<void> {
    await openHydrated(this.page, '/');
  }
}
