import { test as base, expect } from '@playwright/test';
import { TesseraServer } from './support/server';
import { callServerFn } from './support/rpc';

type GuardOptions = {
  /** Console errors a test expects (say, the 404 of a page it opens on purpose). */
  allowedConsoleErrors: RegExp[];
  /** Extra environment for this test's server (say, a small `TESSERA_MAX_UPLOAD_BYTES`). */
  serverEnv: Record<string, string>;
};

export type Owner = {
  workspaceName: string;
  name: string;
  email: string;
  password: string;
};

type Fixtures = {
  consoleGuard: void;
  /** A fresh server (fresh database, first run) for this test alone. */
  server: TesseraServer;
  /** The owner of this test's workspace, already signed in in `page`'s browser context. */
  owner: Owner;
};

export const OWNER_PASSWORD = 'correct horse battery staple';

export const test = base.extend<GuardOptions & Fixtures>({
  allowedConsoleErrors: [[], { option: true }],
  serverEnv: [{}, { option: true }],
  server: async ({ serverEnv }, use) => {
    const server = await TesseraServer.start(serverEnv);
    await use(server);
    await server.stop();
  },
  baseURL: async ({ server }, use) => {
    await use(server.url);
  },
  owner: async ({ context, server }, use, testInfo) => {
    const owner: Owner = {
      workspaceName: `Workspace ${testInfo.workerIndex}-${testInfo.repeatEachIndex}`,
      name: 'Olivia Owner',
      email: 'olivia@example.com',
      password: OWNER_PASSWORD,
    };
    // The context's request client shares the browser's cookie jar: the page is signed in.
    await callServerFn(context.request, server.url, 'setup_workspace', {
      workspace_name: owner.workspaceName,
      name: owner.name,
      email: owner.email,
      password: owner.password,
    });
    await use(owner);
  },
  // Every test fails on a browser console error or an uncaught page error: that is how a
  // hydration panic or a failed asset load shows up.
  consoleGuard: [
    async ({ page, allowedConsoleErrors }, use) => {
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() !== 'error') return;
        if (allowedConsoleErrors.some((allowed) => allowed.test(message.text()))) return;
        // A server function's refusal (401/403/404/409/422/429) is part of the flow under test
        // and is shown in the page; the browser logs its status anyway. 5xx still fails.
        const refusal = /status of 4\d\d/.test(message.text()) && message.location().url.includes('/rpc/');
        if (refusal) return;
        problems.push(`console error: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      await use();
      expect(problems, 'the browser reported errors').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
