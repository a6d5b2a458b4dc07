import { defineConfig } from '@playwright/test';
import path from 'node:path';

// The suite runs against the real server binary that `cargo leptos build` produced, on a
// fresh SQLite database, in Debian's chromium (no browser download: see TOOLCHAIN.md).
const root = path.resolve(__dirname, '..');
const port = Number(process.env.TESSERA_E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;
const dataDir = path.join(root, 'target', 'e2e-data');
const binary = process.env.TESSERA_BIN ?? path.join(root, 'target', 'debug', 'tessera');

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
    baseURL,
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
  webServer: {
    command: `rm -rf "${dataDir}" && exec "${binary}"`,
    cwd: root,
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      TESSERA_ADDR: `127.0.0.1:${port}`,
      DATABASE_URL: `sqlite://${dataDir}/tessera.db`,
      TESSERA_DATA_DIR: dataDir,
      LEPTOS_SITE_ROOT: path.join(root, 'target', 'site'),
      RUST_LOG: 'warn',
    },
  },
});
