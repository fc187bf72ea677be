import { z } from 'zod';

/** How a model is paid for: per token (`api`), a flat plan priced at its API equivalent, or not at all (local). */
export const BillingSchema = z.enum(['api', 'subscription', 'free']);
export type Billing = z.infer<typeof BillingSchema>;
