// matrix-js-sdk's recent versions call Promise.withResolvers (Node >= 22); Node 20 lacks it.

interface Resolvers<T> {
  promise: Promise<T>;
  resolve: (value: T | PromiseLike<T>) => void;
  reject: (reason?: unknown) => void;
}

type WithResolvers = <T>(this: PromiseConstructor) => Resolvers<T>;

/** Install Promise.withResolvers (ES2024) when the runtime lacks it; leave a native one alone. */
export function ensurePromiseWithResolvers(): void {
  const P = Promise as PromiseConstructor & { withResolvers?: WithResolvers };
  if (typeof P.withResolvers === 'function') return;
  const withResolvers: WithResolvers = function <T>(this: PromiseConstructor) {
    let resolve!: Resolvers<T>['resolve'];
    let reject!: Resolvers<T>['reject'];
    const promise = new this<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
  Object.defineProperty(Promise, 'withResolvers', {
    value: withResolvers,
    writable: true,
    configurable: true,
    enumerable: false,
  });
}
