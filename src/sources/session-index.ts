// Read every agent's sessions.json from a source, for the labels in `report sessions`.

import { classifyTranscript, TRANSCRIPT_DIRS } from '../transcripts/files.js';
import { sessionLabels } from '../transcripts/session-index.js';
import type { Source } from './source.js';

const INDEX = 'sessions.json';

/** `${agent}\t${sessionId}` -> label. An index that cannot be read or parsed is skipped: labels are a nicety. */
export async function readSessionLabels(source: Source): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const files = (await source.list(TRANSCRIPT_DIRS, 0)).filter((f) => f.rel.endsWith(`/${INDEX}`));
  for (const f of files) {
    // The index sits beside the transcripts: classify a sibling name to learn its agent.
    const agent = classifyTranscript(f.rel.replace(INDEX, 'x.jsonl'))?.agent;
    if (!agent) continue;
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of source.read({ id: f.id, headBytes: 0, from: 0 })) chunks.push(chunk);
      for (const [id, label] of sessionLabels(JSON.parse(Buffer.concat(chunks).toString('utf8'))))
        out.set(`${agent}\t${id}`, label);
    } catch {}
  }
  return out;
}
