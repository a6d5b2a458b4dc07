import type { Locator, Page } from '@playwright/test';

/** The navbar every signed-in page has. */
export class Shell {
  readonly workspaceName: Locator;
  readonly agentsLink: Locator;
  readonly knowledgeBaseLink: Locator;
  readonly settingsLink: Locator;
  readonly accountMenu: Locator;
  readonly signOut: Locator;

  constructor(readonly page: Page) {
    const nav = page.getByRole('navigation', { name: 'Main' });
    this.workspaceName = page.getByTestId('workspace-name');
    this.agentsLink = nav.getByRole('link', { name: 'Agents', exact: true });
    this.knowledgeBaseLink = nav.getByRole('link', { name: 'Knowledge base', exact: true });
    this.settingsLink = nav.getByRole('link', { name: 'Workspace settings' });
    this.accountMenu = nav.getByLabel('Account menu');
    this.signOut = nav.getByRole('button', { name: 'Sign out' });
  }

  async signOutNow() {
    await this.accountMenu.click();
    await this.signOut.click();
  }

  /** A settings tab by its visible name ("Members", "API Tokens" …). */
  settingsTab(name: string): Locator {
    return this.page.getByRole('navigation', { name: 'Workspace settings' }).getByRole('link', { name, exact: true });
  }
}
