import AxeBuilder from '@axe-core/playwright';
import { test, expect } from '../fixtures';
import { AssistantPage } from '../pages/assistant-page';

// The Assistant page (SPEC §5): a question over an uploaded document streams its answer with
// numbered citations that open the cited passage; a question the documents cannot answer
// says so; conversations are listed and can be opened again; Enter sends, Shift+Enter starts
// a new line.

const notes = '# Field notes\n\n## Rottnest\n\n'
  + 'The quokka is a small marsupial that lives on Rottnest Island near Perth. '
  + 'Visitors may not feed or touch the quokkas.\n';

/** Uploads a document through the page's own upload route and waits until it is ready. */
async function uploadReady(page: import('@playwright/test').Page, baseURL: string) {
  const uploaded = await page.request.post(`${baseURL}/rpc/storage/upload?name=field-notes.md`, {
    data: Buffer.from(notes),
    headers: { 'content-type': 'text/markdown', 'sec-fetch-site': 'same-origin' },
  });
  expect(uploaded.ok(), await uploaded.text()).toBeTruthy();
  await expect.poll(async () => {
    const listed = await page.request.post(`${baseURL}/rpc/list_documents`, {
      headers: { 'sec-fetch-site': 'same-origin' },
    });
    const body = await listed.json();
    return body.items.map((item: { status: string }) => item.status);
  }).toEqual(['ready']);
}

test('ask over an uploaded document → streamed answer → open a citation → reopen the conversation', async ({ page, owner, server }) => {
  await uploadReady(page, server.url);
  const assistant = new AssistantPage(page);
  await assistant.open();
  await expect(page).toHaveTitle('Assistant · Tessera');
  await expect(page.getByRole('heading', { name: 'Assistant', level: 1 })).toBeVisible();
  await expect(page.getByText('Ask about your documents.')).toBeVisible();

  // Shift+Enter starts a new line; Enter sends.
  await assistant.question.fill('Where does the quokka live?');
  await assistant.question.press('Shift+Enter');
  await expect(assistant.question).toHaveValue('Where does the quokka live?\n');
  await assistant.question.press('Enter');
  await expect(assistant.question).toHaveValue('');

  const answer = assistant.answers.first();
  await expect(answer).toContainText('The quokka is a small marsupial that lives on Rottnest Island near Perth.');
  await expect(answer).toHaveAttribute('aria-live', 'polite');
  await expect(answer).toHaveAttribute('aria-busy', 'false');
  const sources = assistant.sources(0);
  await expect(sources).toHaveCount(1);
  await expect(sources.first()).toContainText('[1] Field notes › Rottnest');

  // The marker in the text opens the passage it cites.
  const snippet = sources.first().locator('blockquote');
  await expect(snippet).toBeHidden();
  await answer.getByRole('button', { name: 'Source 1' }).first().click();
  await expect(snippet).toBeVisible();
  await expect(snippet).toContainText('quokka');
  await expect(sources.first().getByRole('link', { name: 'Download Field notes' })).toHaveAttribute('href', /\/rpc\/storage\/files\//);

  // A question the documents cannot answer says so and cites nothing.
  await assistant.question.fill('What is the price of a train ticket to Sydney?');
  await assistant.send.click();
  const second = assistant.turns.nth(1);
  await expect(second.getByTestId('answer-status')).toHaveText('No answer in the knowledge base.');
  await expect(assistant.sources(1)).toHaveCount(0);

  // The conversation is listed; a new one starts empty; the old one opens again.
  await expect(assistant.conversations).toHaveCount(1);
  await expect(assistant.conversations.first()).toContainText('Where does the quokka live?');
  await assistant.newConversation.click();
  await expect(assistant.turns).toHaveCount(0);
  await expect(assistant.question).toBeFocused();
  await assistant.conversations.first().click();
  await expect(assistant.turns).toHaveCount(2);
  await expect(assistant.conversations.first()).toHaveAttribute('aria-current', 'true');
  await expect(assistant.answers.first()).toContainText('Rottnest Island');
  await expect(assistant.sources(0)).toHaveCount(1);

  // Answers, sources and the no-answer state meet WCAG 2.1 AA.
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(violations.map((v) => `${v.id}: ${v.help} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  void owner;
});

test('the navbar leads to the Assistant', async ({ page, owner }) => {
  await page.goto('/agents');
  await page.locator('html[data-hydrated="true"]').waitFor();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Assistant' }).click();
  await expect(page).toHaveURL(/\/assistant$/);
  await expect(page.getByLabel('Your question')).toBeVisible();
  void owner;
});
