// The pricing files in the state dir: the catalog copy `pricing update` fetched, the state of updates, and the
// catalog lookups already made (so a tick whose models are known never loads the catalog package).
import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../shared/atomic-write.js';
import {
  BUNDLED_DATE,
  bundledSource,
  type Catalog,
  type CatalogData,
  CatalogDataSchema,
  CatalogHitSchema,
  type CatalogSource,
} from './catalog.js';
import { type GatewayPricing, GatewayPricingSchema } from './gateway-config.js';

export const pricingDir = (stateDir: string): string => join(stateDir, 'pricing');
const DATA_FILE = 'catalog.json';
const UPDATE_FILE = 'update.json';
const LOOKUPS_FILE = 'lookups.json';

export const UpdateStateSchema = z.object({
  /** The last attempt, successful or not (auto-update tries at most once a day, counting failures). */
  lastAttemptAt: z.number().optional(),
  lastError: z.string().optional(),
  /** The stored copy: when it was fetched, from where. */
  fetchedAt: z.number().optional(),
  url: z.string().optional(),
});
export type UpdateState = z.infer<typeof UpdateStateSchema>;

/**
 * Small files read on every tick are checked without zod's eval-compiled fast path, which costs a quiet tick more
 * to build (milliseconds per schema) than it saves on a few kilobytes.
 */
export const ONCE = { jitless: true } as const;

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return null;
  }
}

export async function readUpdateState(stateDir: string): Promise<UpdateState> {
  const parsed = UpdateStateSchema.safeParse(await readJson(join(pricingDir(stateDir), UPDATE_FILE)), ONCE);
  return parsed.success ? parsed.data : {};
}

export function writeUpdateState(stateDir: string, s: UpdateState): Promise<void> {
  return writeFileAtomic(join(pricingDir(stateDir), UPDATE_FILE), `${JSON.stringify(s)}\n`, 0o600);
}

/** Store a validated copy: data first, then the state that points at it (a crash in between keeps the old date). */
export async function storeCatalog(stateDir: string, data: CatalogData, at: number, url: string): Promise<UpdateState> {
  await writeFileAtomic(join(pricingDir(stateDir), DATA_FILE), JSON.stringify(data), 0o644);
  const next: UpdateState = { lastAttemptAt: at, fetchedAt: at, url };
  await writeUpdateState(stateDir, next);
  return next;
}

export const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** The catalog in force: the stored copy when it is newer than the bundled data, else the bundled data. */
export function catalogSource(stateDir: string | undefined, s: UpdateState): CatalogSource {
  if (stateDir === undefined || s.fetchedAt === undefined || utcDay(s.fetchedAt) <= BUNDLED_DATE)
    return bundledSource();
  const path = join(pricingDir(stateDir), DATA_FILE);
  return {
    id: `update@${s.fetchedAt}`,
    date: utcDay(s.fetchedAt),
    origin: 'update',
    // Read only when a lookup must be made; validated again, since the file could have been edited.
    load: (): CatalogData => CatalogDataSchema.parse(JSON.parse(readFileSync(path, 'utf8'))),
  };
}

const LookupsSchema = z.object({ catalog: z.string(), entries: z.record(z.string(), CatalogHitSchema.nullable()) });

/** Lookups remembered for this catalog (none when the catalog changed since). */
export async function readLookups(
  stateDir: string,
  source: CatalogSource,
): Promise<Map<string, z.infer<typeof CatalogHitSchema> | null>> {
  const parsed = LookupsSchema.safeParse(await readJson(join(pricingDir(stateDir), LOOKUPS_FILE)), ONCE);
  if (!parsed.success || parsed.data.catalog !== source.id) return new Map();
  return new Map(Object.entries(parsed.data.entries));
}

export async function saveLookups(stateDir: string, catalog: Catalog): Promise<void> {
  if (!catalog.changed) return;
  const entries = Object.fromEntries(catalog.lookups);
  await writeFileAtomic(
    join(pricingDir(stateDir), LOOKUPS_FILE),
    `${JSON.stringify({ catalog: catalog.source.id, entries })}\n`,
    0o644,
  );
  catalog.changed = false;
}

const GATEWAY_PREFIX = 'gateway-';

/** Each gateway's configured prices as check last read them, for commands that read no source. */
export async function readGatewayPricings(stateDir: string): Promise<Map<string, GatewayPricing>> {
  const out = new Map<string, GatewayPricing>();
  const names = await readdir(pricingDir(stateDir)).catch(() => [] as string[]);
  for (const f of names) {
    if (!f.startsWith(GATEWAY_PREFIX) || !f.endsWith('.json')) continue;
    const parsed = GatewayPricingSchema.safeParse(await readJson(join(pricingDir(stateDir), f)), ONCE);
    if (parsed.success) out.set(f.slice(GATEWAY_PREFIX.length, -'.json'.length), parsed.data);
  }
  return out;
}

export function saveGatewayPricing(stateDir: string, gateway: string, p: GatewayPricing): Promise<void> {
  return writeFileAtomic(
    join(pricingDir(stateDir), `${GATEWAY_PREFIX}${gateway}.json`),
    `${JSON.stringify(p)}\n`,
    0o644,
  );
}
