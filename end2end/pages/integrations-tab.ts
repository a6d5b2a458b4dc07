import type { Locator, Page } from '@playwright/test';
import { openHydrated } from './app-page';

export class IntegrationsTab {
  readonly newButton: Locator;
  readonly dialog: Locator;
  readonly items: Locator;

  constructor(readonly page: Page) {
    this.newButton = page.getByRole('button', { name: 'New integration' });
    this.dialog = page.getByRole('dialog');
    this.items = page.getByTestId('integration');
  }

  async open() {
    await openHydrated(this.page, '/settings/integrations');
  }

  item(name: string): Locator {
    return this.items.filter({ has: this.page.getByRole('heading', { name, exact: true }) });
  }
}
