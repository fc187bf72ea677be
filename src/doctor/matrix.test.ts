import { afterEach, describe, expect, it } from 'vitest';
import { FakeHomeserver } from '../../test/support/fake-homeserver.js';
import { ConfigSchema } from '../config/schema.js';
import { matrixCheck } from './matrix.js';

const TOKEN = 'syt_secret_token_do_not_print';
let hs: FakeHomeserver | undefined;

afterEach(async () => {
  await hs?.stop();
  hs = undefined;
});

async function doctor(room: string, server: { joined?: string[]; aliases?: Record<string, string> }, token = TOKEN) {
  hs = await new FakeHomeserver({ token: TOKEN, userId: '@budget:fake', ...server }).start();
  const config = ConfigSchema.parse({ alerts: { matrix: { homeserver: hs.url, room } } });
  const check = await matrixCheck(config, { OPENCLAW_BUDGET_MATRIX_TOKEN: token });
  expect(JSON.stringify(check)).not.toContain(token);
  // Doctor never sends.
  expect(hs.sendRequests()).toEqual([]);
  expect(hs.requests.every((r) => r.method === 'GET')).toBe(true);
  return check;
}

describe('doctor: matrix', () => {
  it('passes with a valid token and the bot in the room (alias resolved)', async () => {
    const c = await doctor('#ops:fake', { joined: ['!room:fake'], aliases: { '#ops:fake': '!room:fake' } });
    expect(c).toMatchObject({
      status: 'pass',
      detail: '@budget:fake (token from $OPENCLAW_BUDGET_MATRIX_TOKEN) is in #ops:fake',
    });
  });

  it('fails on a bad token, saying where it came from', async () => {
    const c = await doctor('!room:fake', { joined: ['!room:fake'] }, 'syt_wrong_one');
    expect(c.status).toBe('fail');
    expect(c.detail).toMatch(/token from \$OPENCLAW_BUDGET_MATRIX_TOKEN is not valid \(401 M_UNKNOWN_TOKEN/);
    expect(c.fix).toMatch(/new access token/);
  });

  it('fails on an alias that does not resolve', async () => {
    const c = await doctor('#nope:fake', { joined: ['!room:fake'] });
    expect(c).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/#nope:fake does not resolve \(404 M_NOT_FOUND/),
    });
  });

  it('warns when the bot is not in the room, and says whom to invite', async () => {
    const c = await doctor('!room:fake', { joined: [] });
    expect(c).toMatchObject({
      status: 'warn',
      detail: '@budget:fake is not in !room:fake yet',
      fix: expect.stringContaining('invite @budget:fake'),
    });
  });

  it('fails when no token can be found, and skips without Matrix', async () => {
    const config = ConfigSchema.parse({ alerts: { matrix: { homeserver: 'http://127.0.0.1:9', room: '!r:x' } } });
    expect((await matrixCheck(config, {})).status).toBe('fail');
    expect((await matrixCheck(ConfigSchema.parse({}), {})).status).toBe('skip');
  });

  it('fails clearly when the homeserver cannot be reached', async () => {
    const config = ConfigSchema.parse({ alerts: { matrix: { homeserver: 'http://127.0.0.1:9', room: '!r:x' } } });
    const c = await matrixCheck(config, { OPENCLAW_BUDGET_MATRIX_TOKEN: TOKEN });
    expect(c).toMatchObject({ status: 'fail', detail: expect.stringMatching(/^cannot reach http:\/\/127\.0\.0\.1:9/) });
    expect(JSON.stringify(c)).not.toContain(TOKEN);
  });
});
