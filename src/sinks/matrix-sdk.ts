// matrix-js-sdk is big (about 0.3 s to load): it is imported only when there is a message to send.
import { ensurePromiseWithResolvers } from '../shared/promise-with-resolvers.js';

export type MatrixSdk = typeof import('matrix-js-sdk');

let loading: Promise<MatrixSdk> | undefined;

export function loadMatrixSdk(): Promise<MatrixSdk> {
  ensurePromiseWithResolvers();
  loading ??= import('matrix-js-sdk');
  return loading;
}
