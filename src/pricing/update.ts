// `pricing update`: fetch the catalog's published data, check it, store it in the state dir. Also run by check,
// at most once a day, after its outputs are written, so a tick's result and latency never hang on the network.
import { type CatalogData, CatalogDataSchema } from './catalog.js';
import { readUpdateState, storeCatalog, type UpdateState, writeUpdateState } from './store.js';

/** The data the catalog package itself updates from (its REMOTE_DATA_JSON_URL). */
export const DEFAULT_PRICES_URL =
  'https://raw.githubusercontent.com/pydantic/genai-prices/main/prices/new_data/v2/data.json';

/** An update attempt gives up after this long: a dead network costs a tick a few seconds, once a day at most. */
export const UPDATE_TIMEOUT_MS = 5_000;
const MAX_BYTES = 32 * 1024 * 1024;
const DAY_MS = 86_400_000;

export class UpdateError extends Error {}

export async function fetchCatalog(url: string, timeoutMs = UPDATE_TIMEOUT_MS): Promise<CatalogData> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const why =
      e.name === 'TimeoutError'
        ? `no answer within ${timeoutMs / 1000} s`
        : (e.cause?.code ?? e.cause?.message ?? e.message);
    throw new UpdateError(`cannot fetch ${url}: ${why}`);
  }
  if (!res.ok) throw new UpdateError(`cannot fetch ${url}: HTTP ${res.status}`);
  const length = Number(res.headers.get('content-length') ?? 0);
  if (length > MAX_BYTES) throw new UpdateError(`${url} is ${length} bytes, more than price data can be`);
  let json: unknown;
  try {
    const text = await res.text();
    if (text.length > MAX_BYTES)
      throw new UpdateError(`${url} is more than ${MAX_BYTES} bytes, more than price data can be`);
    json = JSON.parse(text);
  } catch (err) {
    if (err instanceof UpdateError) throw err;
    throw new UpdateError(`${url} did not send JSON: ${(err as Error).message}`);
  }
  const parsed = CatalogDataSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UpdateError(
      `${url} does not hold the catalog's price data (${issue ? `${issue.path.join('.') || 'top level'}: ${issue.message}` : 'invalid'}); the prices in use are kept`,
    );
  }
  return parsed.data;
}

export interface UpdateResult {
  ok: boolean;
  state: UpdateState;
  error?: string;
  providers?: number;
  models?: number;
}

/** One attempt: a success replaces the stored copy atomically; a failure keeps it and records why. */
export async function updateCatalog(
  stateDir: string,
  url: string,
  nowMs: number,
  timeoutMs = UPDATE_TIMEOUT_MS,
): Promise<UpdateResult> {
  return storeFetched(stateDir, url, nowMs, await settle(fetchCatalog(url, timeoutMs)));
}

export type Fetched = { ok: true; data: CatalogData } | { ok: false; error: string };

/** A fetch that never rejects: its outcome, to store once the caller is ready (check: after its outputs). */
export function settle(fetching: Promise<CatalogData>): Promise<Fetched> {
  return fetching.then(
    (data) => ({ ok: true as const, data }),
    (err: unknown) => ({
      ok: false as const,
      error: err instanceof UpdateError ? err.message : `price update failed: ${(err as Error).message}`,
    }),
  );
}

/** Keep what a fetch brought: the new copy, or the failure next to the last good one. */
export async function storeFetched(stateDir: string, url: string, nowMs: number, got: Fetched): Promise<UpdateResult> {
  if (got.ok) {
    const state = await storeCatalog(stateDir, got.data, nowMs, url);
    return { ok: true, state, providers: got.data.length, models: got.data.reduce((n, p) => n + p.models.length, 0) };
  }
  const state: UpdateState = { ...(await readUpdateState(stateDir)), lastAttemptAt: nowMs, lastError: got.error };
  await writeUpdateState(stateDir, state);
  return { ok: false, state, error: got.error };
}

/** Whether check should try an update now: never more than once a day, failed attempts included. */
export function updateDue(s: UpdateState, nowMs: number): boolean {
  return s.lastAttemptAt === undefined || nowMs - s.lastAttemptAt >= DAY_MS || nowMs < s.lastAttemptAt;
}
