import type { Locator, Page } from '@playwright/test';
import { openHydrated } from './app-page';

export class MembersTab {
  readonly inviteButton: Locator;
  readonly dialog: Locator;
  readonly members: Locator;
  readonly invites: Locator;
  /** The status line saying what the last role change or removal did. */
  readonly notice: Locator;

  constructor(readonly page: Page) {
    this.inviteButton = page.getByRole('button', { name: 'Invite member' });
    this.dialog = page.getByRole('dialog');
    this.members = page.getByTestId('member');
    this.invites = page.getByTestId('invite');
    this.notice = page.getByTestId('members-notice');
  }

  async open() {
    await openHydrated(this.page, '/settings/members');
  }

  member(email: string): Locator {
    return this.page.locator(`[data-testid="member"][data-email="${email}"]`);
  }

  /** Creates an invite through the dialog and returns the link it shows once. */
  async invite(email: string, role: 'Member' | 'Admin'): Promise<string> {
    await this.inviteButton.click();
    await this.dialog.getByLabel('Email').fill(email);
    await this.dialog.getByLabel('Role').selectOption({ label: role === 'Member' ? 'Member — can view' : 'Admin — can manage' });
    await this.dialog.getByRole('button', { name: 'Create invite link' }).click();
    const link = this.dialog.getByLabel('Invite link', { exact: true });
    await link.waitFor();
    const value = await link.inputValue();
    await this.dialog.getByRole('button', { name: 'Done' }).click();
    return value;
  }
}
