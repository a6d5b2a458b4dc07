import { defineConfig } from '@playwright/test';
import path from 'node:path';

// The suite runs against the real server binary that `cargo leptos build` produced, in
// Debian's chromium (no browser download: see TOOLCHAIN.md). Each test starts its own server
// on a fresh SQLite database (see fixtures.ts), so there is no shared webServer here.
const root = path.resolve(__dirname, '..');

export default defineConfig({
  testDir: './tests',
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 2,
  reporter: 'list',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  outputDir: path.join(root, 'target', 'playwright-results'),
  use: {
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
});
