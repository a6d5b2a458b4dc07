import { defineConfig } from '@playwright/test';
import base from '../playwright.config';

// Benchmarks, not tests: one at a time, and only when `scripts/bench.sh --first-load` asks.
export default defineConfig({
  ...base,
  testDir: '.',
  testMatch: '*.bench.ts',
  workers: 1,
  timeout: 120_000,
});
