import crypto from 'node:crypto';
import type { APIRequestContext } from '@playwright/test';
import { test, expect } from '../fixtures';
import { callServerFn } from '../support/rpc';
import { ExecutionsTab, TriggersTab } from '../pages/runtime-tabs';

/** Standard Webhooks: `v1,` and the base64 HMAC-SHA256 of `id.timestamp.body` under the secret. */
function sign(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const mac = crypto.createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return `v1,${mac}`;
}

/** An environment and an agent that greets `input.body.who` (or `input.who`), shouting. */
async function seed(request: APIRequestContext, baseURL: string): Promise<string> {
  await callServerFn(request, baseURL, 'create_environment', {
    name: 'Production', purpose: 'production', description: '',
  });
  const config = {
    steps: [
      { id: 'greet', kind: 'template', template: 'hello {{ (input.body or input).who }}' },
      { id: 'shout', kind: 'template', template: '{{ steps.greet | upper }}' },
    ],
  };
  const agent = await callServerFn<{ id: string }>(request, baseURL, 'install_agent', {
    name: 'Greeter', description: '', version: '1.0', config: JSON.stringify(config),
  });
  return agent.id;
}

test('a webhook trigger shows its secret once, takes a signed event, and the execution appears with its step log', async ({ page, server, owner: _ }) => {
  const agentId = await seed(page.request, server.url);
  const triggers = new TriggersTab(page);
  await triggers.open(agentId);
  await expect(page.getByText('No triggers yet.')).toBeVisible();

  await triggers.createButton.click();
  await triggers.dialog.getByLabel('Name').fill('Orders hook');
  await triggers.dialog.getByLabel('Kind').selectOption('webhook');
  await triggers.dialog.getByRole('button', { name: 'Create trigger' }).click();
  const secret = (await page.getByTestId('signing-secret').textContent())?.trim() ?? '';
  expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
  await expect(page.getByTestId('webhook-curl')).toContainText('webhook-signature: v1,$SIG');
  await page.getByRole('button', { name: 'I have stored it' }).click();
  const row = triggers.row('Orders hook');
  await expect(row).toContainText('Webhook');
  await expect(row).toContainText('Enabled');
  const url = (await row.getByTestId('webhook-url').textContent())?.trim() ?? '';
  expect(url).toMatch(/\/api\/webhook\/[0-9a-f]+$/);

  // The sender: an outside program holding the secret.
  const body = JSON.stringify({ who: 'ada' });
  const timestamp = Math.floor(Date.now() / 1000);
  const sent = await page.request.post(url, {
    headers: {
      'content-type': 'application/json',
      'webhook-id': 'msg_e2e_1',
      'webhook-timestamp': String(timestamp),
      'webhook-signature': sign(secret, 'msg_e2e_1', timestamp, body),
    },
    data: body,
  });
  expect(sent.status()).toBe(202);
  const forged = await page.request.post(url, {
    headers: { 'webhook-id': 'msg_e2e_2', 'webhook-timestamp': String(timestamp), 'webhook-signature': sign(secret, 'msg_e2e_2', timestamp, '{}') },
    data: '{"who": "mallory"}',
  });
  expect(forged.status()).toBe(401);

  await page.getByRole('link', { name: 'Executions' }).click();
  const executions = new ExecutionsTab(page);
  await expect(executions.rows).toHaveCount(1);
  await expect(executions.rows.first().getByTestId('execution-status')).toHaveText('Succeeded');
  await expect(executions.rows.first()).toContainText('Orders hook');
  await executions.rows.first().getByRole('button', { name: 'Open' }).click();
  await expect(executions.detail.getByTestId('execution-output')).toContainText('HELLO ADA');
  await expect(executions.detail.getByTestId('execution-input')).toContainText('"who": "ada"');
  const steps = executions.detail.getByTestId('step');
  await expect(steps).toHaveCount(2);
  await expect(steps.nth(0)).toContainText('greet');
  await expect(steps.nth(1)).toContainText('"HELLO ADA"');

  // Back on Triggers the secret is nowhere; rotating shows a new one, once.
  await page.getByRole('link', { name: 'Triggers' }).click();
  await expect(page.getByTestId('signing-secret')).toHaveCount(0);
  await triggers.choose('Orders hook', 'Rotate secret');
  const rotated = (await page.getByTestId('signing-secret').textContent())?.trim() ?? '';
  expect(rotated).toMatch(/^whsec_/);
  expect(rotated).not.toBe(secret);
  await page.getByRole('button', { name: 'I have stored it' }).click();
});

test('a schedule previews its fire times, run now opens the execution, and a disabled trigger cannot run', async ({ page, server, owner: _ }) => {
  const agentId = await seed(page.request, server.url);
  const triggers = new TriggersTab(page);
  await triggers.open(agentId);

  await triggers.createButton.click();
  await triggers.dialog.getByLabel('Name').fill('Weekday mornings');
  await triggers.dialog.getByLabel('Kind').selectOption('schedule');
  await triggers.dialog.getByLabel('Time zone').fill('UTC');
  await triggers.dialog.getByLabel('Cron expression').fill('not a schedule');
  await expect(triggers.dialog.getByTestId('schedule-preview')).toContainText('Not a cron expression');
  // Create with it: the field says so, and the preview does not repeat it.
  await triggers.dialog.getByRole('button', { name: 'Create trigger' }).click();
  await expect(triggers.dialog.getByLabel('Cron expression')).toHaveAttribute('aria-invalid', 'true');
  await expect(triggers.dialog.getByText('Not a cron expression')).toHaveCount(1);
  await expect(triggers.dialog.getByTestId('schedule-preview')).toHaveCount(0);
  await triggers.dialog.getByLabel('Cron expression').fill('0 9 * * MON-FRI');
  const preview = triggers.dialog.getByTestId('schedule-preview');
  await expect(preview).toContainText('09:00');
  await expect(preview.locator('li')).toHaveCount(5);
  await triggers.dialog.getByRole('button', { name: 'Create trigger' }).click();
  await expect(triggers.dialog).toBeHidden();
  const row = triggers.row('Weekday mornings');
  await expect(row).toContainText('Schedule');
  await expect(row).toContainText('Next');

  await row.getByRole('button', { name: 'Run now' }).click();
  await triggers.dialog.getByLabel('Input (JSON)').fill('{"who": "bob"');
  await triggers.dialog.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(triggers.dialog.locator('#run-input-error')).toContainText('Not JSON');
  await triggers.dialog.getByLabel('Input (JSON)').fill('{"who": "bob"}');
  await triggers.dialog.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page).toHaveURL(/\/executions\?open=/);
  const executions = new ExecutionsTab(page);
  await expect(executions.detail.getByTestId('execution-output')).toContainText('HELLO BOB');

  await page.getByRole('link', { name: 'Triggers' }).click();
  await triggers.choose('Weekday mornings', 'Disable');
  await expect(triggers.row('Weekday mornings')).toContainText('Disabled');
  await expect(triggers.row('Weekday mornings').getByRole('button', { name: 'Run now' })).toBeDisabled();
  await expect(triggers.row('Weekday mornings')).not.toContainText('Next');
});
