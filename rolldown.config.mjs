// `npm run build`, second step: the CLI and the few small packages it always needs, as one file. A oneshot run
// every 5 minutes pays module loading each time: one file instead of ~180 halves start-up (see BENCHMARKS.md).
// Every other package (ssh2, anything loaded only when needed) stays an ordinary import. CommonJS, so that the
// launcher (bin/openclaw-budget) can compile it as a vm.Script and keep V8's code cache of it on every Node version.
// A vm.Script cannot `import()` on Node 20 without a flag, so the packages loaded lazily (ssh2, matrix-js-sdk) are
// `require`d when needed: require() of an ES module (matrix-js-sdk) works without a flag on Node >= 20.19.
import { defineConfig } from 'rolldown';

const INLINE = ['zod', 'commander', 'chalk', 'strip-json-comments', 'fzstd'];
const inline = (id) => /^[./#]/.test(id) || INLINE.some((p) => id === p || id.startsWith(`${p}/`));

export default defineConfig({
  input: 'dist/cli/main.js',
  platform: 'node',
  external: (id) => !inline(id),
  // Two levels under the checkout like every dist module, so `new URL('../../pricing.json', import.meta.url)` holds.
  output: {
    file: 'dist/cli/main.bundle.cjs',
    format: 'cjs',
    sourcemap: true,
    // The ES modules it was built from were strict code; a CommonJS script is not unless told.
    banner: "'use strict';",
    dynamicImportInCjs: false,
  },
});
