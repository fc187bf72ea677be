#!/usr/bin/env bash
# A Debian sid chroot with matrix-synapse, for test/system/matrix.test.ts. Idempotent: a working chroot is reused;
# a new one is built under a temporary name and renamed into place, so an interrupted build leaves nothing half-made.
set -euo pipefail
dir=${OPENCLAW_BUDGET_SYNAPSE_CHROOT:-/var/cache/openclaw-budget-ci/synapse-sid}

if [ -x "$dir/usr/bin/python3" ] && chroot "$dir" python3 -c 'import synapse.app.homeserver' 2>/dev/null; then
  echo "prepare-synapse: reusing $dir"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "prepare-synapse: building $dir needs root (mmdebstrap, chroot)" >&2
  exit 1
fi
if ! command -v mmdebstrap >/dev/null; then
  apt-get update -qq && apt-get install -y -qq --no-install-recommends mmdebstrap >/dev/null
fi

parent=$(dirname "$dir")
mkdir -p "$parent"
tmp=$(mktemp -d "$parent/.$(basename "$dir").XXXXXX")
trap 'rm -rf "$tmp"' EXIT
echo "prepare-synapse: building $dir (about 40 s)"
mmdebstrap --quiet --variant=apt --include=matrix-synapse --aptopt='Acquire::Check-Valid-Until "false"' \
  sid "$tmp" http://deb.debian.org/debian
chroot "$tmp" python3 -c 'import synapse.app.homeserver'
rm -rf "$dir"
mv "$tmp" "$dir"
trap - EXIT
echo "prepare-synapse: ready in $dir"
