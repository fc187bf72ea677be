import { defineConfig } from 'vitest/config';

// `npm run bench`: speed targets against real servers, with the measured figures printed.
export default defineConfig({
  test: {
    include: ['bench/**/*.bench.ts'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
