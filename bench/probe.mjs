// Preloaded into the real CLI process by the bench (`node --import bench/probe.mjs bin/openclaw-budget ...`); no
// code of the tool changes. Records when the process first touches the source dir (BENCH_SOURCE: the end of
// start-up), and at exit writes that, its peak RSS and CPU time as JSON to BENCH_PROBE_OUT.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const root = process.env.BENCH_SOURCE;
let firstReadMs;
const touches = (p) => firstReadMs === undefined && root !== undefined && String(p).startsWith(root);
for (const [obj, name] of [
  [fs.promises, 'stat'],
  [fs.promises, 'readdir'],
  [fs.promises, 'open'],
  [fs, 'createReadStream'],
  [fs, 'statSync'],
  [fs, 'readdirSync'],
  [fs, 'openSync'],
]) {
  const orig = obj[name];
  obj[name] = function (p, ...rest) {
    if (touches(p)) firstReadMs = performance.now();
    return orig.call(this, p, ...rest);
  };
}
syncBuiltinESMExports(); // so `import { stat } from 'node:fs/promises'` sees the wrappers

process.on('exit', () => {
  const ru = process.resourceUsage();
  const out = {
    firstReadMs,
    exitMs: performance.now(),
    maxRssKB: ru.maxRSS,
    userMs: ru.userCPUTime / 1000,
    sysMs: ru.systemCPUTime / 1000,
  };
  if (process.env.BENCH_PROBE_OUT) fs.writeFileSync(process.env.BENCH_PROBE_OUT, JSON.stringify(out));
});
