import type { Locator, Page } from '@playwright/test';
import { openHydrated } from './app-page';

/** Agent › Triggers. */
export class TriggersTab {
  readonly createButton: Locator;
  readonly dialog: Locator;
  readonly rows: Locator;

  constructor(readonly page: Page) {
    this.createButton = page.getByRole('button', { name: 'Create trigger' });
    this.dialog = page.getByRole('dialog');
    this.rows = page.getByTestId('trigger');
  }

  async open(agentId: string) {
    await openHydrated(this.page, `/agents/${agentId}/triggers`);
  }

  row(name: string): Locator {
    return this.rows.filter({ hasText: name });
  }

  /** Picks `action` from the row's "More actions" menu. */
  async choose(name: string, action: string) {
    await this.row(name).getByRole('button', { name: `More actions for ${name}` }).click();
    const menu = this.page.getByRole('menu');
    await menu.waitFor();
    await menu.getByRole('menuitem', { name: action, exact: true }).click();
  }
}

/** Agent › Executions. */
export class ExecutionsTab {
  readonly rows: Locator;
  readonly detail: Locator;

  constructor(readonly page: Page) {
    this.rows = page.getByTestId('execution');
    this.detail = page.getByTestId('execution-detail');
  }

  async open(agentId: string) {
    await openHydrated(this.page, `/agents/${agentId}/executions`);
  }
}
