import { defineConfig } from 'vitest/config';

// Tests against real servers (sshd, node_exporter, promtool, Synapse) started by the tests themselves.
export default defineConfig({
  test: {
    globalSetup: ['test/support/temp-root.ts'],
    include: ['test/system/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
