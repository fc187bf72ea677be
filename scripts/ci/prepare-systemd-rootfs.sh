#!/usr/bin/env bash
# A Debian bookworm rootfs with systemd as PID 1, for test/system/systemd-boot.test.ts (booted by systemd-nspawn) and,
# tarred and `podman import`ed, the gateway container image of the container tests. sqlite3 is there for SQLite reads
# inside the container, libpam-systemd and dbus-user-session for a user manager (`systemctl --user`). Idempotent: a
# complete rootfs (marked last) is reused; a new one is built under a temporary name and renamed into place, so an
# interrupted build leaves nothing half-made. The tests never write into it: they boot an overlay of it.
set -euo pipefail
dir=${OPENCLAW_BUDGET_SYSTEMD_ROOTFS:-/var/cache/openclaw-budget-ci/bookworm-systemd-v2}
mark="$dir/.openclaw-budget-ready"

if [ -f "$mark" ] && [ -x "$dir/usr/lib/systemd/systemd" ] && [ -x "$dir/usr/bin/sqlite3" ]; then
  echo "prepare-systemd-rootfs: reusing $dir"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "prepare-systemd-rootfs: building $dir needs root (mmdebstrap)" >&2
  exit 1
fi
if ! command -v mmdebstrap >/dev/null; then
  apt-get update -qq && apt-get install -y -qq --no-install-recommends mmdebstrap >/dev/null
fi

parent=$(dirname "$dir")
mkdir -p "$parent"
tmp=$(mktemp -d "$parent/.$(basename "$dir").XXXXXX")
trap 'rm -rf "$tmp"' EXIT
echo "prepare-systemd-rootfs: building $dir (about 40 s)"
# stdin from /dev/null: without a tty mmdebstrap would otherwise read extra sources from it.
mmdebstrap --quiet --variant=minbase --include=systemd,systemd-sysv,dbus,libpam-systemd,dbus-user-session,sqlite3 \
  --aptopt='Acquire::Check-Valid-Until "false"' bookworm "$tmp" http://deb.debian.org/debian </dev/null
# mktemp made it 0700; a rootfs is 0755 (the container's unprivileged users traverse /).
chmod 0755 "$tmp"
test -x "$tmp/usr/lib/systemd/systemd"
touch "$tmp/.openclaw-budget-ready"
rm -rf "$dir"
mv "$tmp" "$dir"
trap - EXIT
# Earlier versions of this rootfs (another package list) are no longer used.
for old in "$parent"/bookworm-systemd-v*; do
  if [ "$old" != "$dir" ]; then rm -rf "$old"; fi
done
echo "prepare-systemd-rootfs: ready in $dir"
