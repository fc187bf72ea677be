import { z } from 'zod';

/** What one run leaves for the next, besides the ledger and cursors. */
export const RunStateSchema = z.object({
  version: z.literal(1),
  /** Wall-clock ms of the last run that read every source. */
  lastSuccessAt: z.number().optional(),
  /** When the flag file was last created (for "since" in its text), while it exists. */
  exceededSince: z.number().optional(),
});
export type RunState = z.infer<typeof RunStateSchema>;

export const freshRunState = (): RunState => ({ version: 1 });
