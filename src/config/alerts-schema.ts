// The `alerts` section: when to alert, and where (Matrix, a webhook, local commands).
import { z } from 'zod';
import { PathSchema } from './path.js';

const HttpUrlSchema = z.url({ protocol: /^https?$/, message: 'expected an http:// or https:// URL' });

export const MatrixConfigSchema = z
  .object({
    /** Client-server API base, e.g. https://matrix.example.org. */
    homeserver: HttpUrlSchema,
    /** Room id or alias; an alias is resolved on every run that sends. */
    room: z
      .string()
      .regex(
        /^[!#][^:\s]+:\S+$/,
        'expected a room id such as "!abc123:example.org" or an alias such as "#ops:example.org"',
      ),
    accessTokenFile: PathSchema.optional(),
    /** Discouraged: prefer accessTokenFile, $OPENCLAW_BUDGET_MATRIX_TOKEN or a systemd credential. */
    accessToken: z.string().min(1).optional(),
  })
  .strict();
export type MatrixConfig = z.infer<typeof MatrixConfigSchema>;

export const WebhookConfigSchema = z
  .object({
    url: HttpUrlSchema,
    /** Key for the X-OpenClaw-Budget-Signature HMAC-SHA256 header. */
    secretFile: PathSchema.optional(),
    secret: z.string().min(1).optional(),
  })
  .strict();
export type WebhookConfig = z.infer<typeof WebhookConfigSchema>;

export const HooksConfigSchema = z
  .object({
    /** Shell command run (sh -c) when the budget is exceeded. */
    exceeded: z.string().min(1).optional(),
    /** Shell command run when spend is back under the budget. */
    recovered: z.string().min(1).optional(),
    timeoutSeconds: z.number().positive('expected seconds above 0').default(60),
    /** Run the hooks on this SSH gateway's host (over its SSH connection, outside any container); local if unset. */
    gateway: z.string().min(1).optional(),
  })
  .strict();
export type HooksConfig = z.infer<typeof HooksConfigSchema>;

export const AlertsConfigSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** While exceeded, repeat the alert this often (hours); off unless set. */
    reminderHours: z.number().positive('expected hours above 0').optional(),
    /** How many models, costliest first, the message lists. */
    topModels: z.number().int().min(0).max(20).default(3),
    /** Time one run may spend delivering (retries included); what is left is sent on the next run. */
    timeoutSeconds: z.number().positive('expected seconds above 0').default(30),
    matrix: MatrixConfigSchema.optional(),
    webhook: WebhookConfigSchema.optional(),
    hooks: HooksConfigSchema.prefault({}),
  })
  .strict()
  .prefault({});
export type AlertsConfig = z.infer<typeof AlertsConfigSchema>;
