// The config file install creates when there is none: commented, valid as written. Pure.
import type { InstallMode } from './paths.js';

export interface TemplateValues {
  mode: InstallMode;
  timezone: string;
  stateDir: string;
  flagFile: string;
  /** node_exporter's textfile dir, when one was found or given. */
  textfileDir: string | undefined;
  /** Local OpenClaw state dirs found on this machine, by gateway name. */
  gateways: readonly { name: string; path: string }[];
}

const j = (v: unknown) => JSON.stringify(v);

export function renderConfigTemplate(v: TemplateValues): string {
  const gateways = v.gateways.length
    ? `  "gateways": [\n${v.gateways.map((g) => `    { "name": ${j(g.name)}, "path": ${j(g.path)} }`).join(',\n')}\n  ]`
    : `  // No OpenClaw state dir was found on this machine: add yours (see config.example.jsonc).\n  "gateways": []`;
  const textfile = v.textfileDir
    ? `  "textfileDir": ${j(v.textfileDir)},`
    : `  // node_exporter's --collector.textfile.directory; set it to get metrics (then re-run install).\n  // "textfileDir": "/var/lib/prometheus/node-exporter",`;
  return `// openclaw-budget configuration, created by \`openclaw-budget install\` (JSON with comments).
// Every key is optional; see config.example.jsonc and docs/configuration.md for all of them. Check it with \`openclaw-budget doctor\`.
{
  // Daily budget in USD: spend at or over it is "exceeded" (flag file, metrics, alerts).
  "maxDailyUsd": 5,
  // Status becomes "warning" at this fraction of the budget.
  "warnAt": 0.8,
  // The IANA zone whose calendar day is "today".
  "timezone": ${j(v.timezone)},
  // Ledger, cursors and run state${v.mode === 'system' ? " (the unit's StateDirectory)" : ''}.
  "stateDir": ${j(v.stateDir)},
${textfile}
  // Exists while the budget is exceeded; other programs act on its presence${v.mode === 'system' ? " (the unit's RuntimeDirectory)" : ''}.
  "flagFile": ${j(v.flagFile)},
  "pricing": { "mode": "auto" },
${gateways}
}
`;
}
