// A `docker` stand-in for the unit suite: `docker ps` prints the containers written to its state file, `docker exec
// NAME CMD...` runs CMD directly when NAME is a running one, with Docker's own error messages. It stays because
// `npm test` must pass with Node and npm only (no container engine), and it shows states a real engine makes slow
// or awkward to stage (Restarting, legacy compose service names, docker missing from PATH). The system suite uses a
// real container instead (test/system/support/podman.ts).
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface FakeContainer {
  name: string;
  /** `Up 3 hours`, `Exited (0) 2 minutes ago`, ... as `docker ps` prints it. */
  status: string;
  service: string;
}

export interface DockerShim {
  /** Directory to put first on PATH. */
  binDir: string;
  setContainers(list: readonly FakeContainer[]): void;
}

const SCRIPT = (stateFile: string) => `#!/bin/sh
state='${stateFile}'
cmd=$1; shift
case "$cmd" in
ps) cat "$state"; exit 0 ;;
exec)
  [ "$1" = -i ] && shift
  name=$1; shift
  status=
  while IFS='	' read -r n s svc; do [ "$n" = "$name" ] && status=$s; done < "$state"
  if [ -z "$status" ]; then echo "Error response from daemon: No such container: $name" >&2; exit 1; fi
  case "$status" in Up*) ;; *) echo "Error response from daemon: container 0123456789ab is not running" >&2; exit 1 ;; esac
  exec "$@" ;;
*) echo "docker shim: unsupported command $cmd" >&2; exit 2 ;;
esac
`;

export function createDockerShim(dir: string): DockerShim {
  const binDir = join(dir, 'bin');
  mkdirSync(binDir, { recursive: true });
  const stateFile = join(dir, 'containers.tsv');
  writeFileSync(stateFile, '');
  writeFileSync(join(binDir, 'docker'), SCRIPT(stateFile));
  chmodSync(join(binDir, 'docker'), 0o755);
  return {
    binDir,
    setContainers(list) {
      // `ps` prints the rows as Docker's `{{.Names}}\t{{.Status}}\t{{.Labels}}` does.
      writeFileSync(
        stateFile,
        list
          .map(
            (c) => `${c.name}\t${c.status}\tcom.docker.compose.project=proj,com.docker.compose.service=${c.service}\n`,
          )
          .join(''),
      );
    },
  };
}
