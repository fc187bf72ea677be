// Enforcement hooks: a command run when the budget is exceeded or recovered (pause a cron, switch the gateway
// to a local model, stop a container). A failing hook is reported, never fatal, and never retried: it ran.
import { spawn } from 'node:child_process';
import type { AlertEvent } from '../budget/alert-event.js';
import type { HooksConfig } from '../config/alerts-schema.js';
import type { Source } from '../sources/source.js';
import type { Channel } from './delivery.js';

export interface HookResult {
  /** null when killed by a signal. */
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** stdout and stderr interleaved, as the command wrote them (capped). */
  output: string;
}

/**
 * Where a hook runs. Local today; a runner that executes over a gateway's SSH connection plugs in here.
 * `env` holds only the event's variables: a runner adds what its side needs (PATH, HOME).
 */
export interface HookRunner {
  readonly where: string;
  run(command: string, env: Readonly<Record<string, string>>, timeoutMs: number): Promise<HookResult>;
  close?(): Promise<void>;
}

const MAX_OUTPUT = 64 * 1024;
const KILL_GRACE_MS = 2_000;

export type Log = (msg: string) => void;

/** The event as environment variables, all prefixed OPENCLAW_BUDGET_. */
export function hookEnv(ev: AlertEvent): Record<string, string> {
  const env: Record<string, string> = {
    OPENCLAW_BUDGET_EVENT: ev.kind,
    OPENCLAW_BUDGET_EVENT_ID: ev.id,
    // Cents, as a shell script prints them: "5.5" for 5.4999999, never 17 digits (the JSON keeps every digit).
    OPENCLAW_BUDGET_SPEND_USD: String(Math.round(ev.spendUsd * 100) / 100),
    OPENCLAW_BUDGET_BUDGET_USD: String(Math.round(ev.budgetUsd * 100) / 100),
    OPENCLAW_BUDGET_PERCENT: ev.percent.toFixed(1),
    OPENCLAW_BUDGET_GATEWAY: ev.gateways.join(','),
    OPENCLAW_BUDGET_SCOPE: ev.scope,
    OPENCLAW_BUDGET_DAY: ev.period.id,
    OPENCLAW_BUDGET_PERIOD: ev.period.kind,
    OPENCLAW_BUDGET_TIMEZONE: ev.period.timezone,
    OPENCLAW_BUDGET_HOST: ev.host,
    OPENCLAW_BUDGET_AT: new Date(ev.at).toISOString(),
  };
  if (ev.exceededSince !== undefined) env.OPENCLAW_BUDGET_EXCEEDED_SINCE = new Date(ev.exceededSince).toISOString();
  if (ev.exceededForMs !== undefined)
    env.OPENCLAW_BUDGET_EXCEEDED_FOR_SECONDS = String(Math.round(ev.exceededForMs / 1000));
  return env;
}

/** `sh -c` on this machine, in its own process group so a timeout kills what it started too. */
export function localHookRunner(baseEnv: Readonly<Record<string, string | undefined>>): HookRunner {
  return {
    where: 'local',
    run: (command, env, timeoutMs) =>
      new Promise((resolve) => {
        const child = spawn('/bin/sh', ['-c', command], {
          env: { ...baseEnv, ...env },
          stdio: ['ignore', 'pipe', 'pipe'],
          detached: true,
        });
        let output = '';
        const collect = (c: Buffer) => {
          if (output.length < MAX_OUTPUT) output += c.toString('utf8').slice(0, MAX_OUTPUT - output.length);
        };
        child.stdout.on('data', collect);
        child.stderr.on('data', collect);
        let timedOut = false;
        const killGroup = (signal: NodeJS.Signals) => {
          try {
            if (child.pid !== undefined) process.kill(-child.pid, signal);
          } catch {
            // already gone
          }
        };
        const timer = setTimeout(() => {
          timedOut = true;
          killGroup('SIGTERM');
          setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS).unref();
        }, timeoutMs);
        const done = (exitCode: number | null, signal: string | null) => {
          clearTimeout(timer);
          resolve({ exitCode, signal, timedOut, output });
        };
        child.on('error', (err) => {
          output += `${err.message}\n`;
          done(127, null);
        });
        child.on('close', done);
      }),
  };
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * `sh -c` on a gateway's host over its SSH connection. The event's variables go through `env` as arguments
 * (each quoted by the source, never spliced into a shell string); stderr is folded into the captured output.
 */
export function sourceHookRunner(source: Source, where: string): HookRunner {
  return {
    where,
    async run(command, env, timeoutMs) {
      const vars = Object.entries(env)
        .filter(([k]) => ENV_NAME.test(k))
        .map(([k, v]) => `${k}=${v}`);
      let output = '';
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      });
      const work = (async () => {
        for await (const chunk of source.exec(['env', ...vars, 'sh', '-c', `{\n${command}\n} 2>&1`])) {
          if (output.length < MAX_OUTPUT) output += chunk.toString('utf8').slice(0, MAX_OUTPUT - output.length);
        }
      })();
      try {
        const r = await Promise.race([work.then(() => 'done' as const), timeout]);
        if (r === 'timeout') {
          await source.close(); // ends the channel, and with it the remote command
          return { exitCode: null, signal: null, timedOut: true, output };
        }
        return { exitCode: 0, signal: null, timedOut: false, output };
      } catch (err) {
        const message = (err as Error).message;
        const code = /exited with (\d+)/.exec(message);
        return {
          exitCode: code ? Number(code[1]) : 255,
          signal: null,
          timedOut: false,
          output: `${output}${message}\n`,
        };
      } finally {
        clearTimeout(timer);
      }
    },
    close: () => source.close(),
  };
}

export class HookChannel implements Channel {
  readonly name = 'hook';
  /** Hooks that failed in this run (non-zero exit, signal, timeout). */
  failures: string[] = [];

  constructor(
    private readonly hooks: HooksConfig,
    private readonly runner: HookRunner,
    private readonly log: Log,
    /** Where the hook's own output goes: it is what the hook said, not a warning of ours. */
    private readonly output: Log = log,
  ) {}

  private commandFor(ev: AlertEvent): string | undefined {
    return ev.kind === 'exceeded' ? this.hooks.exceeded : ev.kind === 'recovered' ? this.hooks.recovered : undefined;
  }

  async close(): Promise<void> {
    await this.runner.close?.();
  }

  accepts(ev: AlertEvent): boolean {
    return this.commandFor(ev) !== undefined;
  }

  async send(ev: AlertEvent): Promise<string> {
    const command = this.commandFor(ev);
    if (command === undefined) return 'no hook';
    const label = `${ev.kind} hook (${this.runner.where})`;
    const r = await this.runner.run(command, hookEnv(ev), this.hooks.timeoutSeconds * 1000);
    for (const line of r.output.split('\n')) if (line.trim()) this.output(`${label}: ${line}`);
    const outcome = r.timedOut
      ? `timed out after ${this.hooks.timeoutSeconds} s and was killed (raise alerts.hooks.timeoutSeconds or make it faster)`
      : r.exitCode === 0
        ? 'exit 0'
        : r.exitCode === null
          ? `killed by ${r.signal}`
          : `exit ${r.exitCode}`;
    if (r.timedOut || r.exitCode !== 0) {
      const msg = `${label} for ${ev.period.id} failed: ${outcome}; the check goes on`;
      this.failures.push(msg);
      this.log(msg);
    }
    return outcome;
  }
}
