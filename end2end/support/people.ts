import type { APIRequestContext, Browser, BrowserContext, Page } from '@playwright/test';
import { callServerFn } from './rpc';
import { OWNER_PASSWORD } from '../fixtures';

export type Role = 'admin' | 'member';

export type SecondPerson = {
  email: string;
  context: BrowserContext;
  /** A page of `context`, signed in as the new member. */
  page: Page;
  /** Console errors and page errors seen in this person's pages (the fixture guards only `page`). */
  problems: string[];
};

/**
 * Adds a second person with `role` to the test's workspace: the owner invites (create_invite
 * through the owner's signed-in `ownerRequest`), the invitee accepts in a NEW browser context,
 * whose cookie jar then holds the invitee's session.
 */
export async function addPerson(
  browser: Browser,
  ownerRequest: APIRequestContext,
  baseURL: string,
  role: Role,
  name = role === 'admin' ? 'Ada Admin' : 'Max Member',
): Promise<SecondPerson> {
  const email = `${role}-${Math.random().toString(36).slice(2, 10)}@example.com`;
  const invite = await callServerFn<{ link_path: string }>(ownerRequest, baseURL, 'create_invite', { email, role });
  const code = invite.link_path.split('/').pop() ?? '';
  const context = await browser.newContext({ baseURL });
  await callServerFn(context.request, baseURL, 'accept_invite', { code, name, password: OWNER_PASSWORD });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const refusal = /status of 4\d\d/.test(message.text()) && message.location().url.includes('/rpc/');
    if (!refusal) problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return { email, context, page, problems };
}
