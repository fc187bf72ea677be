// Which account a call was billed to: a label from config, never anything derived from credentials.
import type { Gateway } from '../config/schema.js';

/** (gateway, provider) -> account label. */
export type AccountOf = (gateway: string, provider: string) => string;

/**
 * A gateway's per-provider label wins, then its `account`, then the gateway's own name: without config each
 * gateway is its own account. Gateways no longer configured (history in the ledger) keep their names.
 */
export function accountResolver(gateways: readonly Pick<Gateway, 'name' | 'account' | 'accounts'>[]): AccountOf {
  const byName = new Map(gateways.map((g) => [g.name, g]));
  return (gateway, provider) => {
    const g = byName.get(gateway);
    return g?.accounts?.[provider] ?? g?.account ?? gateway;
  };
}
