// `npm run build`, second step: the CLI and the few small packages it always needs, as one file. A oneshot run
// every 5 minutes pays module loading each time: one file instead of ~180 halves start-up (see BENCHMARKS.md).
// Every other package (ssh2, anything loaded only when needed) stays an ordinary import.
import { defineConfig } from 'rolldown';

const INLINE = ['zod', 'commander', 'chalk', 'strip-json-comments', 'fzstd'];
const inline = (id) => /^[./#]/.test(id) || INLINE.some((p) => id === p || id.startsWith(`${p}/`));

export default defineConfig({
  input: 'dist/cli/main.js',
  platform: 'node',
  external: (id) => !inline(id),
  // Two levels under the checkout like every dist module, so `new URL('../../pricing.json', import.meta.url)` holds.
  output: { file: 'dist/cli/main.bundle.js', format: 'esm', sourcemap: true },
});
