import type { Locator, Page } from '@playwright/test';
import { openHydrated } from './app-page';

/** The Assistant page: the chat, its composer, and the list of earlier conversations. */
export class AssistantPage {
  readonly question: Locator;
  readonly send: Locator;
  readonly stop: Locator;
  readonly newConversation: Locator;
  readonly answers: Locator;
  readonly conversations: Locator;
  readonly turns: Locator;

  constructor(readonly page: Page) {
    this.question = page.getByLabel('Your question');
    this.send = page.getByRole('button', { name: 'Send' });
    this.stop = page.getByRole('button', { name: 'Stop' });
    this.newConversation = page.getByRole('button', { name: 'New', exact: true });
    this.answers = page.getByTestId('assistant-answer');
    this.conversations = page.getByRole('list', { name: 'Conversations' }).getByTestId('conversation');
    this.turns = page.getByRole('list', { name: 'Questions and answers' }).getByRole('listitem').filter({ has: page.getByTestId('assistant-answer') });
  }

  async open() {
    await openHydrated(this.page, '/assistant');
  }

  /** The sources listed under the answer of turn `index` (0-based). */
  sources(index: number): Locator {
    return this.turns.nth(index).getByRole('list', { name: 'Sources' }).getByTestId('citation');
  }
}
