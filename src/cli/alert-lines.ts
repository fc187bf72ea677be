import type { AlertReport } from '../pipeline/alerts.js';

/** The human summary's lines about this run's alerts. */
export function alertLines(a: AlertReport | undefined): string[] {
  if (!a) return [];
  return [
    ...a.sent.map((s) => `alert ${s.kind} (${s.day}) -> ${s.channel}: ${s.receipt}`),
    ...a.pending.map(
      (p) => `alert ${p.kind} (${p.day}) -> ${p.channel}: NOT DELIVERED, kept for the next run (${p.error})`,
    ),
  ];
}
