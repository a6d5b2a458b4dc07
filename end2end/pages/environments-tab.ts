import type { Locator, Page } from '@playwright/test';
import { openHydrated } from './app-page';

export class EnvironmentsTab {
  readonly newButton: Locator;
  readonly dialog: Locator;
  readonly items: Locator;

  constructor(readonly page: Page) {
    this.newButton = page.getByRole('button', { name: 'New environment' });
    this.dialog = page.getByRole('dialog');
    this.items = page.getByTestId('environment');
  }

  async open() {
    await openHydrated(this.page, '/settings/environments');
  }

  item(name: string): Locator {
    return this.items.filter({ has: this.page.getByRole('heading', { name, exact: true }) });
  }

  async fillForm(values: { name?: string; purpose?: string; description?: string }) {
    if (values.name !== undefined) await this.dialog.getByLabel('Name').fill(values.name);
    if (values.purpose !== undefined) await this.dialog.getByLabel('Purpose').selectOption({ label: values.purpose });
    if (values.description !== undefined) await this.dialog.getByLabel('Description (optional)').fill(values.description);
  }
}
