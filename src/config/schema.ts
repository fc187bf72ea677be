import { z } from 'zod';
import { PricingModeSchema } from '../pricing/cost.js';
import { DEFAULT_PRICES_URL } from '../pricing/update.js';
import { fixedOffsetMinutes } from '../shared/time-zone.js';
import { AccountLabelSchema, WindowsConfigSchema } from './accounts.js';
import { AlertsConfigSchema } from './alerts-schema.js';
import { expandHome, PathSchema } from './path.js';
import { CONTAINER_NAME, ReadModeSchema, SshDefaultsSchema, SshTargetSchema } from './ssh-schema.js';

export function isValidTimeZone(tz: string): boolean {
  if (fixedOffsetMinutes(tz) !== undefined) return true; // without loading ICU's zone data
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const TimeZoneSchema = z
  .string()
  .refine(isValidTimeZone, { message: 'expected an IANA time zone such as "Europe/Rome" or "UTC"' });

export const GATEWAY_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export const GatewaySchema = z
  .object({
    /** Label in metrics and the ledger. */
    name: z.string().regex(GATEWAY_NAME, 'expected letters, digits, ".", "_" or "-"'),
    /** Account label for this gateway's calls (default: the gateway name), and per-provider overrides. */
    account: AccountLabelSchema.optional(),
    accounts: z.record(z.string(), AccountLabelSchema).optional(),
    /** The OpenClaw state dir (laid out like ~/.openclaw): local, on the SSH host, or inside the container. */
    path: z.string().min(1, 'expected a non-empty path').optional(),
    /** Read over SSH: "user@host[:port]" or an object (see docs/sources-and-ssh.md). */
    ssh: SshTargetSchema.optional(),
    /** Read inside this Docker container on the SSH host; `true` finds it by its compose service label. */
    container: z
      .union([z.literal(true), z.string().regex(CONTAINER_NAME, 'expected a Docker container name')])
      .optional(),
    /** Run the remote commands with `sudo -n`. */
    sudo: z.boolean().default(false),
    /** `logs` reads the gateway's own log files instead of transcripts: a fallback, never both. */
    read: ReadModeSchema.default('transcripts'),
    /** Where `read: "logs"` finds openclaw-YYYY-MM-DD.log. */
    logDir: z.string().min(1).optional(),
  })
  .strict()
  .superRefine((g, ctx) => {
    if (!g.ssh) {
      if (g.path === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['path'],
          message: 'expected the state dir path (or "ssh" to read over SSH)',
        });
      for (const k of ['container', 'sudo'] as const) {
        if (g[k] !== undefined && g[k] !== false)
          ctx.addIssue({ code: 'custom', path: [k], message: 'only applies to SSH gateways: add "ssh"' });
      }
      return;
    }
    for (const k of ['path', 'logDir'] as const) {
      const v = g[k];
      if (v !== undefined && !v.startsWith('/'))
        ctx.addIssue({ code: 'custom', path: [k], message: 'expected an absolute path on the remote host' });
    }
    if (g.path === undefined && g.container === undefined && g.read === 'transcripts') {
      ctx.addIssue({
        code: 'custom',
        path: ['path'],
        message: 'expected the remote state dir (e.g. "/home/sam/.openclaw") or "container"',
      });
    }
  })
  .transform((g) => (g.ssh || g.path === undefined ? g : { ...g, path: expandHome(g.path) }));
export type Gateway = z.infer<typeof GatewaySchema>;

export const ConfigSchema = z
  .object({
    maxDailyUsd: z
      .number({ message: 'expected a number of USD, e.g. 5' })
      .positive('expected a budget above 0')
      .default(5),
    warnAt: z
      .number({ message: 'expected a fraction of the budget, e.g. 0.8' })
      .gt(0, 'expected a fraction above 0')
      .lte(1, 'expected a fraction of at most 1')
      .default(0.8),
    /** Monthly budget in USD; no monthly status without it. */
    maxMonthlyUsd: z
      .number({ message: 'expected a number of USD, e.g. 100' })
      .positive('expected a budget above 0')
      .optional(),
    /** Limits for the rolling 5-hour and 7-day windows (report windows, check metrics). */
    windows: WindowsConfigSchema,
    /** IANA zone that defines "today"; the machine's zone when absent. */
    timezone: TimeZoneSchema.optional(),
    stateDir: PathSchema.optional(),
    textfileDir: PathSchema.optional(),
    flagFile: PathSchema.refine((p) => !p.endsWith('/'), {
      message:
        'names a directory (it ends in "/"): give the flag file\'s own path, e.g. /run/openclaw-budget/budget-exceeded',
    }).optional(),
    pricing: z
      .object({
        file: PathSchema.optional(),
        mode: PricingModeSchema.default('auto'),
        subscriptionsAsFree: z.boolean().default(false),
        /** `check` fetches the catalog's published prices at most once a day, after its outputs are written. */
        autoUpdate: z.boolean().default(true),
        /** Where `pricing update` fetches them (the catalog's data.json, or a mirror of it). */
        updateUrl: z.url({ protocol: /^https?$/, message: 'expected an http(s) URL' }).default(DEFAULT_PRICES_URL),
      })
      .strict()
      .prefault({}),
    alerts: AlertsConfigSchema,
    gateways: z.array(GatewaySchema).default([]),
    /** Defaults for every SSH gateway and for `--source ssh://`. */
    ssh: SshDefaultsSchema.prefault({}),
  })
  .strict();

export type Config = z.infer<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;
