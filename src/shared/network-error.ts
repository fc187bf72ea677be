// What a failed connection means, in words: fetch (undici) and matrix-js-sdk wrap the socket's error in one or two
// layers of "fetch failed"; the useful part (ECONNREFUSED, ENOTFOUND, a timeout, a certificate) is at the bottom.

interface ErrorLike {
  name?: string;
  message?: string;
  code?: string;
  cause?: unknown;
}

const MEANING: Record<string, string> = {
  ECONNREFUSED: 'connection refused: nothing listens on that host and port',
  ENOTFOUND: 'host name not found (DNS)',
  EAI_AGAIN: 'host name lookup failed for now (DNS)',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  ECONNRESET: 'connection reset by the other side',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_SOCKET: 'connection closed unexpectedly',
  CERT_HAS_EXPIRED: 'its TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'its TLS certificate chain is self-signed',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its TLS certificate cannot be verified',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its TLS certificate is for another host name',
};

const WRAPPERS = new Set(['fetch failed', 'fetch failed: fetch failed', 'This operation was aborted', '']);

/** "connection refused: nothing listens on that host and port (ECONNREFUSED 127.0.0.1:9)", "no answer within 4 s". */
export function describeNetworkError(err: unknown, timeoutMs?: number): string {
  const chain: ErrorLike[] = [];
  for (let e: unknown = err; typeof e === 'object' && e !== null && chain.length < 6; e = (e as ErrorLike).cause)
    chain.push(e as ErrorLike);
  if (chain.length === 0) return String(err);
  if (chain.some((e) => e.name === 'TimeoutError' || e.name === 'AbortError')) {
    return timeoutMs === undefined ? 'no answer in time' : `no answer within ${Math.round(timeoutMs / 100) / 10} s`;
  }
  const coded = chain.find((e) => typeof e.code === 'string' && MEANING[e.code]);
  if (coded?.code) {
    const detail = (coded.message ?? '').replace(/^(connect|getaddrinfo|read|write) /, '').trim();
    return `${MEANING[coded.code]}${detail && detail !== coded.code ? ` (${detail})` : ` (${coded.code})`}`;
  }
  // Innermost message that says more than "fetch failed".
  const said = [...chain].reverse().find((e) => !WRAPPERS.has((e.message ?? '').trim()));
  return said?.message?.trim() || 'the connection failed';
}
