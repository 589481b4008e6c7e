import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The fault tests kill servers of the production-shaped profile: npm run test:cluster runs them.
    // The benches' smoke runs start a stack of their own, the same in either profile: npm test runs them. The
    // browser tests drive the web app, which is the same on either stack: npm test runs them (CI's time, ~8 min).
    exclude: [
      '**/node_modules/**',
      ...(process.env.LOTSE_PROFILE === 'cluster' ? ['test/bench/**', 'test/browser/**'] : ['test/cluster/**']),
    ],
    reporters: ['default', './test/plain-summary.ts'],
    globalSetup: ['test/global-setup.ts'],
    // The Temporal worker's native runtime wants a process of its own per file.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
