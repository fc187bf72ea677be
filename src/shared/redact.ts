// The one redactor every output goes through: stdout and stderr (wrapped once in main.ts) and every file the tool
// writes (writeFileAtomic). Secrets are registered where they are read (config, secret files, the environment);
// in what is printed, a few shapes are redacted whether registered or not (passwords in URLs, bearer tokens,
// token-like query values). Files get the registered secrets only: they hold data a pattern could garble.

const REDACTED = '[redacted]';
/** Secret value -> what is shown instead. Longest first when applied, so a URL wins over its parts. */
const known = new Map<string, string>();
let ordered: [string, string][] = [];

/** Too short to be a secret worth finding (and replacing it would garble ordinary text). */
const MIN_SECRET_LENGTH = 6;

function add(value: string, shown: string): void {
  if (value.length < MIN_SECRET_LENGTH || known.has(value)) return;
  known.set(value, shown);
  // As it appears in a URL and inside a JSON string (state files).
  for (const form of [encodeURIComponent(value), JSON.stringify(value).slice(1, -1)])
    if (form !== value) known.set(form, shown);
  ordered = [...known].sort(([a], [b]) => b.length - a.length);
}

/** A token, password or signing key: never printed or written anywhere. */
export function registerSecret(value: string | undefined): void {
  if (value) add(value.trim(), REDACTED);
}

/**
 * A URL whose every part after the origin may be a secret (webhooks carry keys in their path and query, and
 * sometimes a user:password): shown as its origin only, and each part redacted wherever it appears on its own.
 */
export function registerSecretUrl(raw: string | undefined): void {
  if (!raw) return;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    registerSecret(raw);
    return;
  }
  const origin = `${url.protocol}//${url.host}`;
  add(raw, `${origin}/…`);
  add(url.href, `${origin}/…`);
  if (url.password) add(decodeURIComponent(url.password), REDACTED);
  const rest = `${url.pathname}${url.search}`;
  if (rest.length > 1) add(rest, '/…');
  for (const v of url.searchParams.values()) add(v, REDACTED);
  for (const seg of url.pathname.split('/')) if (seg.length >= 16) add(seg, REDACTED);
}

const PATTERNS: [RegExp, string][] = [
  // scheme://user:password@host -> scheme://user:[redacted]@host
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s/:@"'\\]*):[^\s/@"'\\]+@/gi, `$1:${REDACTED}@`],
  // Authorization headers and bearer tokens echoed back by a server (narrow: state files hold model names too).
  [/\b(authorization["']?\s*[:=]\s*["']?(?:bearer|basic)\s+)[A-Za-z0-9._~+/=-]{8,}/gi, `$1${REDACTED}`],
  [/\b(bearer\s+)[A-Za-z0-9._~+/=-]{16,}/gi, `$1${REDACTED}`],
  // Query parameters that name a credential.
  [/([?&](?:access_token|token|api[_-]?key|key|secret|password|sig|signature|auth)=)[^\s&#"']+/gi, `$1${REDACTED}`],
];

/** Replace the registered secrets only: safe on any data (a state file holds catalogs, model names, paths). */
export function redactKnown(text: string): string {
  let out = text;
  for (const [secret, shown] of ordered) if (out.includes(secret)) out = out.split(secret).join(shown);
  return out;
}

/** Registered secrets and the credential shapes above: for what is printed. */
export function redact(text: string): string {
  let out = redactKnown(text);
  for (const [re, to] of PATTERNS) out = out.replace(re, to);
  return out;
}

/** Every write to `stream` goes through redact(): installed once, for stdout and stderr. */
export function redactStream(stream: NodeJS.WriteStream): void {
  const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (typeof chunk === 'string') return write(redact(chunk), ...rest);
    if (chunk instanceof Uint8Array) return write(Buffer.from(redact(Buffer.from(chunk).toString('utf8'))), ...rest);
    return write(chunk, ...rest);
  }) as typeof stream.write;
}
