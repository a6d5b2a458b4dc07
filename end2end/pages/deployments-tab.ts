import type { Locator, Page } from '@playwright/test';
import { openHydrated } from './app-page';

/** Agent › Deployments. */
export class DeploymentsTab {
  readonly createButton: Locator;
  readonly table: Locator;
  readonly tokens: Locator;

  constructor(readonly page: Page) {
    this.createButton = page.getByRole('button', { name: 'Create deployment token' });
    this.table = page.getByRole('table', { name: 'API tokens' });
    this.tokens = page.getByTestId('token');
  }

  async open(agentId: string) {
    await openHydrated(this.page, `/agents/${agentId}/deployments`);
  }

  token(name: string): Locator {
    return this.tokens.filter({ has: this.page.getByRole('button', { name: `Details of ${name}`, exact: true }) });
  }
}
