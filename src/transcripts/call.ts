import { z } from 'zod';

/** One provider API call, as read from a transcript line. */
export const CallSchema = z.object({
  /** The call's instant (epoch ms): the entry's ISO timestamp, else message.timestamp. */
  at: z.number(),
  /** message.timestamp in epoch ms (the call's instant where absent); part of the dedupe key. */
  msgTs: z.number(),
  agent: z.string(),
  session: z.string(),
  provider: z.string(),
  model: z.string(),
  rawProvider: z.string(),
  rawModel: z.string(),
  input: z.number(),
  output: z.number(),
  cacheRead: z.number(),
  cacheWrite: z.number(),
  /** usage.cost.total as OpenClaw computed it, when it was a finite number. */
  transcriptCostUsd: z.number().nullable(),
  /** The line gave only a total token count: counted as input. */
  totalOnly: z.literal(true).optional(),
});
export type Call = z.infer<typeof CallSchema>;

type KeyFields = Pick<Call, 'provider' | 'model' | 'msgTs' | 'input' | 'output' | 'cacheRead' | 'cacheWrite'>;

/** The contract's dedupe key: copies of a call (forks, rewrites, archives, other runs) share it. */
export function callKey(c: KeyFields): string {
  return `${c.provider}\t${c.model}\t${c.msgTs}\t${c.input}\t${c.output}\t${c.cacheRead}\t${c.cacheWrite}`;
}
