// Where install puts things, for a system or a user install, optionally under a test root. Pure.
import { join } from 'node:path';
import { DEFAULT_CONFIG_PATH, userConfigPath } from '../config/load.js';
import type { Env } from '../shared/env.js';

export type InstallMode = 'system' | 'user';

export interface InstallPaths {
  mode: InstallMode;
  /** Prefix for every written file (`--root`); "/" for a real install. */
  root: string;
  unitDir: string;
  configPath: string;
  stateDir: string;
  flagFile: string;
  /** Where home directories live, to look for local OpenClaw state dirs. */
  homes: readonly string[];
}

/** The paths as the service will see them (without --root). */
export function installPaths(mode: InstallMode, env: Env, home: string, uid: number): Omit<InstallPaths, 'root'> {
  if (mode === 'system') {
    return {
      mode,
      unitDir: '/etc/systemd/system',
      configPath: DEFAULT_CONFIG_PATH,
      stateDir: '/var/lib/openclaw-budget',
      flagFile: '/run/openclaw-budget/budget-exceeded',
      homes: ['/root', '/home/*'],
    };
  }
  const config = env.XDG_CONFIG_HOME || join(home, '.config');
  const state = env.XDG_STATE_HOME || join(home, '.local', 'state');
  const runtime = env.XDG_RUNTIME_DIR || `/run/user/${uid}`;
  return {
    mode,
    unitDir: join(config, 'systemd', 'user'),
    configPath: userConfigPath(env, home),
    stateDir: join(state, 'openclaw-budget'),
    flagFile: join(runtime, 'openclaw-budget', 'budget-exceeded'),
    homes: [home],
  };
}

/** A path as written under --root. */
export function underRoot(root: string, path: string): string {
  return root === '/' ? path : join(root, path);
}
