// Remote command lines and what their output and errors mean. Pure: no connection here.
import { GATEWAY_CONFIG_FILE, GATEWAY_CONFIG_MAX, type ListedFile } from '../source.js';
import { stateDirProblem } from '../state-dir.js';

/** One argument for a POSIX shell, whatever it contains: config values never reach the shell unquoted. */
export function shQuote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Where remote commands run: on the host, or inside a container via `docker exec`; optionally under `sudo -n`. */
export interface Placement {
  container?: string;
  sudo: boolean;
}

/** The command line sent over the exec channel: every argument quoted, then wrapped for docker and sudo. */
export function commandLine(argv: readonly string[], where: Placement, opts: { stdin?: boolean } = {}): string {
  let full = [...argv];
  // `docker exec` passes our stdin through only with -i.
  if (where.container !== undefined) full = ['docker', 'exec', ...(opts.stdin ? ['-i'] : []), where.container, ...full];
  if (where.sudo) full = ['sudo', '-n', '--', ...full];
  return full.map(shQuote).join(' ');
}

// The gateway's config rides on the listing's answer (no extra round trip): after a NUL and a marker, the first
// GATEWAY_CONFIG_MAX bytes of openclaw.json (a regular file, never a symlink). No listing record starts with it.
const CONFIG_MARKER = '\0ocb-config\n';

/** A listing's answer split into the file records and the gateway config it carries (if any). */
export function splitListing(out: Buffer): { listing: Buffer; gatewayConfig: string | undefined } {
  const at = out.indexOf(CONFIG_MARKER);
  if (at < 0) return { listing: out, gatewayConfig: undefined };
  return { listing: out.subarray(0, at), gatewayConfig: out.subarray(at + CONFIG_MARKER.length).toString('utf8') };
}

// One remote command per source (a session): a POSIX sh loop that reads requests, one per line, on its stdin and
// answers each on stdout with its bytes and then a trailer, `#ocb-<nonce># <status>\n`. The nonce (first line of
// stdin, fresh per session, never in an argv) is what makes a trailer impossible to fake from a file's contents.
// Requests are pipelined: the client sends the next ones while the remote streams the current one.
//   l <since> <mmin> <pattern>...  listing: records as parseListing reads them; status ok | notfound | notdir |
//                                 denied <mode> <links> <uid> <gid>
//   r <head> <from> <path>         the first <head> bytes, then every byte from offset <from> (1-based) to EOF;
//                                 status 0 | v (vanished, or no longer a regular file) | d (denied) | e (error)
//   x <n>, then n argument lines   run argv next to the data (stdin /dev/null); status `<exit code> <stderr>`
// Paths and arguments travel escaped (encodeLine): nothing a file name holds is ever interpreted by a shell.
// Listed: regular files (find -type f: never a symlink) in dirs that resolve inside the state dir; a read refuses
// a path that became a symlink since. Patterns are our own constants (TRANSCRIPT_DIRS), globbed by the shell.
const SESSION_SCRIPT = `root=$1
IFS= read -r nonce || exit 0
exec 3>&1
end() { printf '#ocb-%s# %s\\n' "$nonce" "$1"; }
dec() { case $1 in *\\\\*) v=$(printf '%bx' "$1"); v=\${v%x} ;; *) v=$1 ;; esac; }
why() { set -f; set -- $(ls -ldn "$1" 2>/dev/null); echo "denied $1 $2 $3 $4"; }
lst() {
  since=$1; mmin=$2; shift 2
  [ -e "$root" ] || { echo notfound; return; }
  [ -d "$root" ] || { echo notdir; return; }
  cd "$root" 2>/dev/null || { why "$root"; return; }
  rp=$(pwd -P)
  # A transcript listing of a dir that is no state dir (empty, <state>/agents, a sessions folder) is refused.
  case " $* " in *' agents/*/sessions '*)
    [ -d agents ] || [ -d sessions ] || [ -f openclaw.json ] || [ -f clawdbot.json ] || [ -f moltbot.json ] || [ -f moldbot.json ] || [ -f clawdis.json ] ||
      { echo "notstate $(ls -Ap 2>/dev/null | head -n 20 | tr '\\n' '|')"; return; } ;;
  esac
  if find . -maxdepth 0 -newermt @0 -printf '' >/dev/null 2>&1; then gnu=1; else gnu=; fi
  for pat in "$@"; do for d in $pat; do
    [ -d "$d" ] || continue
    [ -r "$d" ] && [ -x "$d" ] || { why "$d"; return; }
    case $(cd "$d" && pwd -P)/ in "$rp"/*) ;; *) continue ;; esac
    if [ -n "$gnu" ]; then
      find "$d" -mindepth 1 -maxdepth 1 -type f -newermt "@$since" \\( -readable -printf 'r %s %T@ %i %U %m %p\\0' -o -printf 'u %s %T@ %i %U %m %p\\0' \\) >&3
    else
      find "$d" -mindepth 1 -maxdepth 1 -type f -mmin "-$mmin" -exec stat -c 'r %s %Y %i %u %a %n' {} + >&3
    fi
  done; done
  if [ -f ${GATEWAY_CONFIG_FILE} ] && [ ! -L ${GATEWAY_CONFIG_FILE} ] && [ -r ${GATEWAY_CONFIG_FILE} ]; then
    printf '\\0ocb-config\\n' >&3; head -c ${GATEWAY_CONFIG_MAX} ${GATEWAY_CONFIG_FILE} >&3
  fi
  echo ok
}
rd() {
  if [ -L "$3" ] || [ ! -f "$3" ]; then end v; return; fi
  [ -r "$3" ] || { end d; return; }
  st=0
  if [ "$1" -gt 0 ]; then head -c "$1" "$3" || st=e; fi
  if [ "$2" -le 1 ]; then cat "$3" || st=e; else tail -c "+$2" "$3" || st=e; fi
  [ -e "$3" ] || st=v
  end $st
}
run() {
  n=$1; set --
  while [ "$n" -gt 0 ]; do IFS= read -r a || exit 0; dec "$a"; set -- "$@" "$v"; n=$((n - 1)); done
  err=$("$@" 2>&1 >&3 3>&- </dev/null); rc=$?
  [ -z "$err" ] || err=$(printf '%s' "$err" | tr '\\r\\n' '  ' | head -c 4000)
  end "$rc $err"
}
while IFS= read -r line; do
  case $line in
  'l '*) set -f; set -- \${line#l }; set +f; end "$(lst "$@" </dev/null 2>/dev/null)" ;;
  'r '*) set -f; set -- \${line#r }; set +f; h=$1; m=$2; dec "\${line#r $h $m }"; rd "$h" "$m" "$v" 2>/dev/null ;;
  'x '*) run "\${line#x }" ;;
  *) end bad ;;
  esac
done`;

export const SESSION_ARGV = (root: string): string[] => ['sh', '-c', SESSION_SCRIPT, 'sh', root];

// `"container": true`: the same one command first lists the containers on the host (its first answer, status
// `<exit code> <stderr>`), then reads the chosen container's name from stdin and becomes the session inside it.
const DISCOVERING_SCRIPT = `script=$1; root=$2; shift 2
IFS= read -r nonce || exit 0
exec 3>&1
err=$("$@" 2>&1 >&3 3>&- </dev/null); rc=$?
[ -z "$err" ] || err=$(printf '%s' "$err" | tr '\\r\\n' '  ' | head -c 4000)
printf '#ocb-%s# %s\\n' "$nonce" "$rc $err"
exec 3>&-
IFS= read -r name || exit 0
exec docker exec -i "$name" sh -c "$script" sh "$root"`;

export const DISCOVERING_SESSION_ARGV = (root: string): string[] => [
  'sh',
  '-c',
  DISCOVERING_SCRIPT,
  'sh',
  SESSION_SCRIPT,
  root,
  ...DISCOVER_ARGV,
];

/** One request argument as a line: backslash and newline escaped for printf %b, everything else as is. */
export function encodeLine(arg: string): string {
  if (arg.includes('\0')) throw new Error('an argument cannot hold a NUL byte');
  return arg.replace(/[\\\n\r]/g, (c) => `\\0${c.charCodeAt(0).toString(8).padStart(3, '0')}`);
}

const PATTERN = /^[A-Za-z0-9_.*/-]+$/;

export function listRequest(dirs: readonly string[], sinceMs: number, nowMs: number): string {
  for (const d of dirs) if (!PATTERN.test(d)) throw new Error(`unsafe listing pattern ${d}`);
  const since = Math.floor(sinceMs / 1000);
  const mmin = Math.max(1, Math.ceil((nowMs - sinceMs) / 60_000) + 1);
  return `l ${since} ${mmin} ${dirs.join(' ')}\n`;
}

export function readRequest(path: string, headBytes: number, from: number): string {
  return `r ${headBytes} ${from + 1} ${encodeLine(path)}\n`;
}

export function execRequest(argv: readonly string[]): string {
  return `x ${argv.length}\n${argv.map((a) => `${encodeLine(a)}\n`).join('')}`;
}

export interface ListedRemote extends ListedFile {
  readable: boolean;
  uid: number;
  mode: string;
}

/** Parse the listing: `r|u size mtime inode uid mode path`, NUL-terminated (GNU find) or one per line (fallback). */
export function parseListing(out: Buffer, root: string): ListedRemote[] {
  const text = out.toString('utf8');
  const records = text.includes('\0') ? text.split('\0') : text.split('\n');
  const files: ListedRemote[] = [];
  const base = root.endsWith('/') ? root : `${root}/`;
  for (const rec of records) {
    const m = /^\n?([ru]) (\d+) ([\d.]+) (\d+) (\d+) ([0-7]+) (.+)$/s.exec(rec);
    if (!m) continue;
    const rel = (m[7] as string).replace(/^\.\//, '');
    files.push({
      id: base + rel,
      rel,
      size: Number(m[2]),
      mtimeMs: Number(m[3]) * 1000,
      ino: Number(m[4]),
      uid: Number(m[5]),
      mode: m[6] as string,
      readable: m[1] === 'r',
    });
  }
  return files;
}

/**
 * Container discovery: every container with its status and labels, in one command. `.Labels`, not `.Label "…"`:
 * Podman's docker (podman-docker) has no `.Label` function, and prints the labels as a Go map instead of k=v,k=v.
 */
export const DISCOVER_ARGV = ['docker', 'ps', '-a', '--format', '{{.Names}}\t{{.Status}}\t{{.Labels}}'] as const;

/** The compose service among `docker ps` labels: Docker's `k=v,k=v` or Podman's `map[k:v k:v]`. */
export function composeService(labels: string): string | undefined {
  return /(?:^|[,[ ])com\.docker\.compose\.service[=:]([^,\] ]*)/.exec(labels)?.[1];
}

/** Compose service names of the gateway, newest first (the project was renamed twice). */
export const GATEWAY_SERVICES = ['openclaw-gateway', 'moltbot-gateway', 'clawdbot-gateway', 'clawdis-gateway'] as const;

export type Discovery = { ok: true; name: string } | { ok: false; message: string };

export function pickGatewayContainer(psOutput: string, host: string): Discovery {
  const rows = psOutput
    .split('\n')
    .map((l) => l.split('\t'))
    .filter((r) => r.length >= 3)
    .map((r) => [r[0], r[1], composeService(r[2] as string)]);
  for (const service of GATEWAY_SERVICES) {
    const found = rows.filter((r) => r[2] === service);
    const running = found.filter((r) => (r[1] ?? '').startsWith('Up'));
    if (running.length > 1) {
      return {
        ok: false,
        message: `several running containers of compose service ${service} on ${host} (${running.map((r) => r[0]).join(', ')}): set "container" to the one to read`,
      };
    }
    if (running[0]) return { ok: true, name: running[0][0] as string };
    if (found[0]) {
      return {
        ok: false,
        message: `the gateway container ${found[0][0]} on ${host} is not running (${found[0][1]}): start it (docker compose up -d)`,
      };
    }
  }
  return {
    ok: false,
    message: `no container with label com.docker.compose.service=openclaw-gateway on ${host}: set "container" to the gateway container's name (docker ps on ${host} lists them)`,
  };
}

export interface FailureContext {
  /** `user@host:port`. */
  target: string;
  /** What the command was for, e.g. "listing /home/node/.openclaw". */
  what: string;
  path: string;
  container: string | undefined;
  sudo: boolean;
  user: string;
}

const PERMISSION_HINT =
  'OpenClaw writes its files mode 0600 as the gateway user (uid 1000, "node" in Docker): connect as that user, set "sudo": true (with passwordless sudo), or read inside the container ("container")';

/** A failed remote command, explained: what went wrong and what to do. */
export function explainFailure(code: number | null, stderr: string, ctx: FailureContext): string {
  const where = ctx.container ? `container ${ctx.container} on ${ctx.target}` : ctx.target;
  const firstLine =
    stderr
      .split('\n')
      .find((l) => l.trim() !== '')
      ?.trim() ?? '';
  if (/ocb-error notfound/.test(stderr)) {
    return `${ctx.path} not found in ${where}: set "path" to OpenClaw's state dir there (e.g. /home/<user>/.openclaw on the host, /home/node/.openclaw in the container)`;
  }
  if (/ocb-error notdir/.test(stderr))
    return `${ctx.path} in ${where} is not a directory: set "path" to OpenClaw's state dir`;
  const notState = /ocb-error notstate ?(.*)/.exec(stderr);
  if (notState) {
    const names = (notState[1] ?? '').split('|').filter((n) => n !== '');
    const entries = names.map((n) => ({ name: n.replace(/\/$/, ''), isDirectory: n.endsWith('/') }));
    return `in ${where}: ${stateDirProblem(ctx.path, entries) ?? `${ctx.path} is not an OpenClaw state dir`}`;
  }
  const denied = /ocb-error denied ?(.*)/.exec(stderr);
  if (denied) {
    const detail = denied[1]?.trim() ? ` (${denied[1].trim()})` : '';
    return `permission denied ${ctx.what} in ${where} as ${ctx.user}${detail}: ${PERMISSION_HINT}`;
  }
  if (/sudo: .*(password is required|terminal is required|no tty present)/i.test(stderr)) {
    return `sudo on ${ctx.target} asks ${ctx.user} for a password: allow passwordless sudo for the commands openclaw-budget runs, or connect as the gateway user without "sudo"`;
  }
  if (/is not in the sudoers file|not allowed to execute/i.test(stderr))
    return `${ctx.user} may not use sudo on ${ctx.target}: ${firstLine}`;
  if (ctx.container !== undefined) {
    if (/docker: (command )?not found|docker: No such file/i.test(stderr) || (code === 127 && /docker/.test(stderr))) {
      return `docker is not installed (or not on PATH) on ${ctx.target}: install Docker there, or read the host's bind-mounted state dir with "path" instead of "container"`;
    }
    if (/permission denied.*docker(\.sock| daemon)/i.test(stderr)) {
      return `${ctx.user} may not use docker on ${ctx.target}: add ${ctx.user} to the docker group, or set "sudo": true`;
    }
    if (/Cannot connect to the Docker daemon/i.test(stderr))
      return `the Docker daemon on ${ctx.target} is not running: ${firstLine}`;
    if (/No such container/i.test(stderr))
      return `there is no container ${ctx.container} on ${ctx.target}: check its name with docker ps, or set "container": true to find it by its compose label`;
    // Docker says "is not running"; Podman's Docker API "can only create exec sessions on running containers".
    if (/is not running|is paused|is restarting|on running containers/i.test(stderr))
      return `the container ${ctx.container} on ${ctx.target} is not running: start it (docker compose up -d)`;
  }
  if (/Permission denied/i.test(stderr))
    return `permission denied ${ctx.what} in ${where} as ${ctx.user}: ${PERMISSION_HINT}`;
  if (code === 127)
    return `a command openclaw-budget needs (sh, find, head, tail, cat, tr) is missing in ${where}: ${firstLine}`;
  return `${ctx.what} failed in ${where} (exit ${code ?? 'signal'})${firstLine ? `: ${firstLine}` : ''}`;
}
