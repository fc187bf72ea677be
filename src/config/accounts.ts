// Account labels and window limits: config shapes only (the logic lives in src/reports/).
import { z } from 'zod';

// Prefixes of well-known API key formats: a label must name an account, never hold its secret.
const KEY_LIKE = /^(sk-|sk_|rk_|AIza|xai-|gsk_|hf_|ghp_|github_pat_|glpat-|pplx-)/;

export const AccountLabelSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9 _.@:+-]{0,63}$/,
    'expected a short name (letters, digits, space, "_.@:+-", at most 64 characters)',
  )
  .refine((s) => !KEY_LIKE.test(s), {
    message: 'looks like an API key; use a name for the account (e.g. "work-claude"), never its key',
  });

export const WINDOW_NAMES = ['5h', '7d'] as const;
export const WindowNameSchema = z.enum(WINDOW_NAMES);
export type WindowName = z.infer<typeof WindowNameSchema>;

export const WindowLimitSchema = z
  .object({
    /** Which account and provider the limit applies to; absent matches any. */
    account: z.string().optional(),
    provider: z.string().optional(),
    window: WindowNameSchema,
    tokens: z.number().positive('expected a token count above 0').optional(),
    usd: z.number().positive('expected USD above 0').optional(),
  })
  .strict()
  .refine((l) => l.tokens !== undefined || l.usd !== undefined, { message: 'give "tokens", "usd" or both' });
export type WindowLimit = z.infer<typeof WindowLimitSchema>;

export const WindowsConfigSchema = z
  .object({
    limits: z.array(WindowLimitSchema).default([]),
  })
  .strict()
  .prefault({});
