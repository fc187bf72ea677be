// An alert as text: a plain body and the same in HTML (Matrix formatted_body). Pure.
import type { AlertEvent } from '../budget/alert-event.js';
import { duration, localTime, usd } from '../shared/format.js';

export interface RenderOptions {
  /** Delivered in a later run than the one that saw it: say when it happened. */
  late: boolean;
}

export interface AlertMessage {
  plain: string;
  html: string;
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

interface Parts {
  headline: string;
  lines: string[];
  models: string[];
}

function parts(ev: AlertEvent, opts: RenderOptions): Parts {
  const where = `${ev.gateways.length > 1 ? 'gateways' : 'gateway'} ${ev.gateways.join(', ') || ev.scope} on ${ev.host}`;
  const figures = `${usd(ev.spendUsd)} of ${usd(ev.budgetUsd)} (${ev.percent.toFixed(1)}%) on ${ev.period.id} (${ev.period.timezone})`;
  const lines: string[] = [];
  let headline: string;
  switch (ev.kind) {
    case 'warning':
      headline = `OpenClaw budget warning: ${figures}, ${where}`;
      lines.push(`Warning at ${(ev.warnAt * 100).toFixed(0)}% of the budget.`);
      break;
    case 'exceeded':
      headline = `OpenClaw budget EXCEEDED: ${figures}, ${where}`;
      break;
    case 'reminder':
      headline = `OpenClaw budget still exceeded: ${figures}, ${where}`;
      if (ev.exceededForMs !== undefined) lines.push(`Over budget for ${duration(ev.exceededForMs / 1000)}.`);
      break;
    case 'recovered':
      headline = ev.periodEnded
        ? `OpenClaw budget recovered: ${ev.period.id} is over; it ended at ${figures}, ${where}`
        : `OpenClaw budget recovered: ${figures}, ${where}`;
      if (ev.exceededForMs !== undefined) lines.push(`It was over budget for ${duration(ev.exceededForMs / 1000)}.`);
      break;
    case 'test':
      headline = `openclaw-budget test message from ${ev.host}: alerts reach this room. Budget ${usd(ev.budgetUsd)} a ${ev.period.kind}, ${where}`;
      break;
  }
  if (ev.projectedUsd !== undefined)
    lines.push(
      `Projected by the end of the ${ev.period.kind}: ${usd(ev.projectedUsd)} at the recent burn rate (the forecast check prints).`,
    );
  if (ev.unpricedCalls > 0)
    lines.push(`${ev.unpricedCalls} call(s) had no price and count as $0: spend is understated.`);
  if (opts.late)
    lines.push(`Delivered late: this happened at ${localTime(ev.at, ev.period.timezone)} (${ev.period.timezone}).`);
  const models = ev.topModels.map((m) => `${m.provider}/${m.model} ${usd(m.costUsd)}`);
  return { headline, lines, models };
}

export function renderAlert(ev: AlertEvent, opts: RenderOptions): AlertMessage {
  const p = parts(ev, opts);
  const plain = [p.headline, ...(p.models.length ? [`Top models: ${p.models.join(', ')}`] : []), ...p.lines].join('\n');
  const html = [
    `<p><b>${escapeHtml(p.headline)}</b></p>`,
    ...(p.models.length
      ? [`<p>Top models:</p><ul>${p.models.map((m) => `<li>${escapeHtml(m)}</li>`).join('')}</ul>`]
      : []),
    ...p.lines.map((l) => `<p>${escapeHtml(l)}</p>`),
  ].join('');
  return { plain, html };
}
