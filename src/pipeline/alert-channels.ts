// The alert channels a config asks for. Building one is cheap: tokens are read and matrix-js-sdk is loaded
// only when something is sent.
import type { Config } from '../config/schema.js';
import { matrixTokenSpec, readSecret, SECRET_ENVS, webhookSecretSpec } from '../config/secrets.js';
import type { Env } from '../shared/env.js';
import type { Channel, ChannelName } from '../sinks/delivery.js';
import { HookChannel, type HookRunner, type Log, localHookRunner, sourceHookRunner } from '../sinks/hooks.js';
import { MatrixChannel } from '../sinks/matrix.js';
import { WebhookChannel } from '../sinks/webhook.js';
import { openHookHost } from './gateways.js';

/** The environment hooks start from: ours, less the secrets. */
export function hookBaseEnv(env: Env): Env {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !SECRET_ENVS.includes(k)));
}

export interface Channels {
  all: Map<ChannelName, Channel>;
  hooks: HookChannel | undefined;
}

/** Where hooks run: on `alerts.hooks.gateway`'s SSH host when set, else here. */
function defaultHookRunner(config: Config, env: Env): HookRunner {
  const gateway = config.alerts.hooks.gateway;
  return gateway
    ? sourceHookRunner(openHookHost(config, gateway, env), `gateway ${gateway}`)
    : localHookRunner(hookBaseEnv(env));
}

export function alertChannels(config: Config, env: Env, log: Log, hookRunner?: HookRunner, hookOutput?: Log): Channels {
  const { matrix, webhook, hooks } = config.alerts;
  const all = new Map<ChannelName, Channel>();
  if (matrix) {
    all.set(
      'matrix',
      new MatrixChannel({
        homeserver: matrix.homeserver,
        room: matrix.room,
        token: () => readSecret(matrixTokenSpec(config), env),
      }),
    );
  }
  if (webhook) {
    all.set(
      'webhook',
      new WebhookChannel({
        url: webhook.url,
        userAgent: 'openclaw-budget',
        secret: () => readSecret(webhookSecretSpec(config), env),
      }),
    );
  }
  let hookChannel: HookChannel | undefined;
  if (hooks.exceeded || hooks.recovered) {
    hookChannel = new HookChannel(hooks, hookRunner ?? defaultHookRunner(config, env), log, hookOutput ?? log);
    all.set('hook', hookChannel);
  }
  return { all, hooks: hookChannel };
}

export async function closeChannels(channels: Channels): Promise<void> {
  await Promise.all([...channels.all.values()].map((c) => c.close?.()));
}
