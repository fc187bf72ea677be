import { afterEach, describe, expect, it } from 'vitest';
import { ensurePromiseWithResolvers } from './promise-with-resolvers.js';

type P = PromiseConstructor & { withResolvers?: unknown };
const native = Object.getOwnPropertyDescriptor(Promise, 'withResolvers');

afterEach(() => {
  if (native) Object.defineProperty(Promise, 'withResolvers', native);
  else delete (Promise as P).withResolvers;
});

describe('ensurePromiseWithResolvers', () => {
  it('installs a working Promise.withResolvers where the runtime has none (Node 20)', async () => {
    delete (Promise as P).withResolvers;
    expect((Promise as P).withResolvers).toBeUndefined();
    ensurePromiseWithResolvers();
    const make = (
      Promise as unknown as {
        withResolvers: <T>() => { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void };
      }
    ).withResolvers;
    const a = make.call(Promise);
    a.resolve(42);
    await expect(a.promise).resolves.toBe(42);
    const b = make.call(Promise);
    b.reject(new Error('no'));
    await expect(b.promise).rejects.toThrow('no');
    expect(Object.keys(Promise)).not.toContain('withResolvers');
  });

  it('leaves an existing implementation alone', () => {
    const mine = () => 'mine';
    Object.defineProperty(Promise, 'withResolvers', { value: mine, writable: true, configurable: true });
    ensurePromiseWithResolvers();
    expect((Promise as P).withResolvers).toBe(mine);
  });
});
