import type { Locator, Page } from '@playwright/test';
import { openHydrated } from './app-page';

export class AgentsPage {
  readonly installButton: Locator;
  readonly dialog: Locator;
  readonly cards: Locator;

  constructor(readonly page: Page) {
    this.installButton = page.getByRole('button', { name: 'Install agent' });
    this.dialog = page.getByRole('dialog');
    this.cards = page.getByTestId('agent');
  }

  async open() {
    await openHydrated(this.page, '/agents');
  }

  card(name: string): Locator {
    return this.cards.filter({ has: this.page.getByRole('link', { name, exact: true }) });
  }

  async fillForm(values: { name?: string; description?: string; version?: string; config?: string }) {
    if (values.name !== undefined) await this.dialog.getByLabel('Name').fill(values.name);
    if (values.description !== undefined) await this.dialog.getByLabel('Description (optional)').fill(values.description);
    if (values.version !== undefined) await this.dialog.getByLabel('Version').fill(values.version);
    if (values.config !== undefined) await this.dialog.getByLabel('Configuration (JSON)').fill(values.config);
  }
}
