// Doctor's Matrix check: token readable and valid, room resolvable, bot in the room. Never sends anything and
// never loads matrix-js-sdk (three GETs of the client-server API are all it takes).
import type { Config } from '../config/schema.js';
import { credstoreFile, matrixTokenSpec, readSecret } from '../config/secrets.js';
import type { Env } from '../shared/env.js';
import { errorMessage } from '../shared/errors.js';
import { describeNetworkError } from '../shared/network-error.js';
import { type DoctorCheck, fail, pass, skip, warn } from './result.js';

const NAME = 'matrix';
const TIMEOUT_MS = 10_000;

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

async function get(homeserver: string, path: string, token: string): Promise<Answer> {
  const res = await fetch(new URL(path, homeserver.endsWith('/') ? homeserver : `${homeserver}/`), {
    headers: { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  return { status: res.status, body };
}

function said(a: Answer): string {
  const code = typeof a.body.errcode === 'string' ? ` ${a.body.errcode}` : '';
  const error = typeof a.body.error === 'string' ? `: ${a.body.error}` : '';
  return `${a.status}${code}${error}`;
}

export async function matrixCheck(config: Config, env: Env): Promise<DoctorCheck> {
  const m = config.alerts.matrix;
  if (!m) return skip(NAME, 'no alerts.matrix configured');
  let token: string;
  let from: string;
  try {
    const secret = await readSecret(matrixTokenSpec(config), env);
    if (!secret) {
      return fail(
        NAME,
        'no Matrix access token found',
        `set alerts.matrix.accessTokenFile or $OPENCLAW_BUDGET_MATRIX_TOKEN, or put it in ${credstoreFile('matrix-token')} for the service (see docs/alerts-and-hooks.md)`,
      );
    }
    ({ value: token, from } = secret);
  } catch (err) {
    return fail(NAME, errorMessage(err), 'make the token file readable by this user');
  }
  const api = '_matrix/client/v3';
  try {
    const who = await get(m.homeserver, `${api}/account/whoami`, token);
    if (who.status === 401)
      return fail(
        NAME,
        `the token from ${from} is not valid (${said(who)})`,
        'log the bot in again and store the new access token',
      );
    if (who.status !== 200 || typeof who.body.user_id !== 'string')
      return fail(NAME, `whoami answered ${said(who)}`, `check alerts.matrix.homeserver (${m.homeserver})`);
    const user = who.body.user_id;
    let roomId = m.room;
    if (m.room.startsWith('#')) {
      const dir = await get(m.homeserver, `${api}/directory/room/${encodeURIComponent(m.room)}`, token);
      if (dir.status !== 200 || typeof dir.body.room_id !== 'string') {
        return fail(
          NAME,
          `room alias ${m.room} does not resolve (${said(dir)})`,
          'check the alias, or set alerts.matrix.room to the room id (!...:server)',
        );
      }
      roomId = dir.body.room_id;
    }
    const rooms = await get(m.homeserver, `${api}/joined_rooms`, token);
    const joined = Array.isArray(rooms.body.joined_rooms) && rooms.body.joined_rooms.includes(roomId);
    if (rooms.status !== 200)
      return fail(NAME, `joined_rooms answered ${said(rooms)}`, 'check the homeserver and the token');
    if (!joined) {
      return warn(
        NAME,
        `${user} is not in ${m.room} yet`,
        `invite ${user} to ${m.room}: it joins by itself on its first alert (openclaw-budget alert test does that now)`,
      );
    }
    return pass(NAME, `${user} (token from ${from}) is in ${m.room}`);
  } catch (err) {
    return fail(
      NAME,
      `cannot reach ${new URL(m.homeserver).origin}: ${describeNetworkError(err)}`,
      'check that alerts.matrix.homeserver is its client-server URL (e.g. https://matrix.example.org), that the homeserver is running, and that this host can reach it (DNS, firewall, proxy)',
    );
  }
}
