import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', './test/plain-summary.ts'],
    globalSetup: ['test/global-setup.ts'],
    // The Temporal worker's native runtime wants a process of its own per file.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
