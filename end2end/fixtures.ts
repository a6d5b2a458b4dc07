import { test as base, expect } from '@playwright/test';

type GuardOptions = {
  /** Console errors a test expects (say, the 404 of a page it opens on purpose). */
  allowedConsoleErrors: RegExp[];
};

// Every test fails on a browser console error or an uncaught page error: that is how a
// hydration panic or a failed asset load shows up.
export const test = base.extend<GuardOptions & { consoleGuard: void }>({
  allowedConsoleErrors: [[], { option: true }],
  consoleGuard: [
    async ({ page, allowedConsoleErrors }, use) => {
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() !== 'error') return;
        if (allowedConsoleErrors.some((allowed) => allowed.test(message.text()))) return;
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
