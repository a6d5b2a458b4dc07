import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, expect } from '../fixtures';
import { IntegrationsTab } from '../pages/integrations-tab';

const FIRST_KEY = 'sk-e2e-first-secret-1111';
const SECOND_KEY = 'sk-e2e-second-secret-2222';

/** A small OpenAI-compatible service on 127.0.0.1 that records the keys it is sent. */
async function modelService(): Promise<{ url: string; seen: string[]; close: () => void }> {
  const seen: string[] = [];
  const server = http.createServer((request, response) => {
    seen.push(request.headers.authorization ?? '');
    response.writeHead(request.url === '/models' ? 200 : 404, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ data: [{ id: 'model-1' }] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, seen, close: () => server.close() };
}

test('an integration is created, its secret replaced and cleared, tested and deleted; no secret ever reaches the page', async ({ page, owner: _ }) => {
  const service = await modelService();
  // Every server-function answer the page receives, to search for secrets.
  const answers: Promise<string>[] = [];
  page.on('response', (response) => {
    if (response.url().includes('/rpc/')) answers.push(response.text().catch(() => ''));
  });
  const tab = new IntegrationsTab(page);
  await tab.open();
  await expect(page.getByText('No integrations yet.')).toBeVisible();

  await tab.newButton.click();
  await tab.dialog.getByLabel('Name').fill('Model');
  await tab.dialog.getByLabel('Base URL').fill(service.url);
  await tab.dialog.getByLabel('Model', { exact: true }).fill('model-1');
  const key = tab.dialog.getByLabel('API key');
  await expect(key).toHaveAttribute('type', 'password');
  await key.fill(FIRST_KEY);
  await tab.dialog.getByRole('button', { name: 'Create integration' }).click();
  await expect(tab.dialog).toBeHidden();
  const item = tab.item('Model');
  await expect(item).toContainText('API key · set, updated');

  // Replace the key: the form never shows the old one.
  await item.getByRole('button', { name: 'Edit Model' }).click();
  await expect(tab.dialog.getByTestId('secret-row')).toContainText('API key · set');
  await tab.dialog.getByRole('button', { name: 'Replace API key' }).click();
  await tab.dialog.getByLabel('New value for API key').fill(SECOND_KEY);
  await tab.dialog.getByRole('button', { name: 'Save changes' }).click();
  await expect(tab.dialog).toBeHidden();

  // Test connection: the request leaves from the server with the new key.
  await item.getByRole('button', { name: 'Test connection of Model' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Send request' }).click();
  await expect(page.getByTestId('connection-result')).toContainText('Connected.');
  expect(service.seen).toEqual([`Bearer ${SECOND_KEY}`]);
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toBeHidden();

  // The model writes the assistant's answers, then hands them back to the knowledge base.
  await item.getByRole('button', { name: 'Use for the assistant' }).click();
  await expect(item.getByTestId('assistant-model')).toBeVisible();
  await page.reload();
  await page.locator('html[data-hydrated="true"]').waitFor();
  await expect(tab.item('Model').getByTestId('assistant-model')).toBeVisible();
  await tab.item('Model').getByRole('button', { name: 'Stop using for the assistant' }).click();
  await expect(tab.item('Model').getByTestId('assistant-model')).toHaveCount(0);

  // Clear it.
  await item.getByRole('button', { name: 'Edit Model' }).click();
  await tab.dialog.getByRole('button', { name: 'Clear API key' }).click();
  await expect(tab.dialog.getByTestId('secret-row')).toContainText('will be cleared');
  await tab.dialog.getByRole('button', { name: 'Save changes' }).click();
  await expect(tab.dialog).toBeHidden();
  await expect(item).not.toContainText('API key · set');

  await item.getByRole('button', { name: 'Delete Model' }).click();
  await page.getByRole('dialog', { name: 'Delete Model?' }).getByRole('button', { name: 'Delete integration' }).click();
  await expect(tab.items).toHaveCount(0);

  const html = await page.content();
  const bodies = await Promise.all(answers);
  expect(bodies.length).toBeGreaterThan(3);
  for (const secret of [FIRST_KEY, SECOND_KEY]) {
    expect(html).not.toContain(secret);
    for (const body of bodies) expect(body).not.toContain(secret);
  }
  service.close();
});
