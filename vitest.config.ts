import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['test/support/temp-root.ts'],
    include: ['src/**/*.test.ts', 'test/e2e/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
