#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# The README's promise, checked on a bare Debian 12: builds a debootstrap --variant=minbase
# bookworm chroot (or uses CHROOT_DIR, an existing one, as it is), copies in a clean
# `git archive` of HEAD and ../shared, and runs in it, as a new user would:
#   scripts/run.sh    until it prints the address and answers /healthz, then stops it
#   scripts/test.sh   the whole suite (FRESH_TEST_SECONDS=N stops it after N seconds)
# printing the wall time of each. With --package it instead installs dist/bereik_*.deb
# (scripts/package.sh) into the chroot with `apt-get install ./bereik_*.deb`, checks the
# unit with systemd-analyze verify, runs `bereik serve --config /etc/bereik/bereik.conf`
# as the package's user and asks it /healthz; then purges the package.
# Needs root (debootstrap, chroot, mounts). The chroot shares the host's network.
# usage: scripts/fresh-machine.sh [--package] [CHROOT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
mode=commands
if [ "${1:-}" = --package ]; then
  mode=package
  shift
fi
[ "$(id -u)" -eq 0 ] || { echo "fresh-machine: run as root (debootstrap, chroot, mount)"; exit 2; }
root=${1:-}
made=0
if [ -z "$root" ]; then
  root=$(mktemp -d /var/tmp/bereik-fresh.XXXXXX)
  chmod 755 "$root" # the root directory of a system (mktemp makes it 0700: no user could enter it)
  made=1
fi
mounts=()
# every process whose root is the chroot (apt runs dpkg in a session of its own)
kill_inside() {
  local p r
  r=$(readlink -f "$root")
  for p in /proc/[0-9]*; do
    [ "$(readlink "$p/root" 2>/dev/null)" = "$r" ] && kill "-$1" "${p#/proc/}" 2>/dev/null
  done
  return 0
}
cleanup() {
  local i
  kill_inside KILL
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount -l "${mounts[i]}" 2>/dev/null || true; done
  if [ "$made" -eq 1 ] && [ -z "${FRESH_KEEP:-}" ]; then rm -rf --one-file-system "$root"; fi
}
trap cleanup EXIT
in_root() { chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin /bin/bash -c "$1"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
elapsed() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }

# ---- the chroot ----
if [ ! -x "$root/usr/bin/apt-get" ]; then
  command -v debootstrap >/dev/null || { apt-get update -qq && apt-get install -y -qq debootstrap >/dev/null; }
  # the mirror apt uses on this machine
  mirror=$(grep -hsE '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' | grep -v security | head -1)
  [ -n "$mirror" ] || mirror=$(grep -hsE '^deb ' /etc/apt/sources.list | awk '{print $2}' | grep -v security | head -1)
  mirror=${mirror:-http://deb.debian.org/debian}
  echo "== debootstrap --variant=minbase bookworm $root $mirror"
  t0=$SECONDS
  debootstrap --variant=minbase bookworm "$root" "$mirror" >"$root.debootstrap.log" 2>&1 ||
    { tail -20 "$root.debootstrap.log"; exit 1; }
  rm -f "$root.debootstrap.log"
  echo "   $(elapsed $((SECONDS - t0)))"
fi
# a Debian 12 as installed: with its updates and security updates (Chromium comes from there)
if ! grep -qs bookworm-security "$root/etc/apt/sources.list"; then
  mirror=$(awk '/^deb / {print $2; exit}' "$root/etc/apt/sources.list")
  mirror=${mirror:-http://deb.debian.org/debian}
  cat >"$root/etc/apt/sources.list" <<EOT
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb ${mirror%/debian}/debian-security bookworm-security main
EOT
fi
cp /etc/resolv.conf "$root/etc/resolv.conf"
# a host behind a TLS-inspecting proxy trusts its local CAs: so does the chroot (npm
# fetches over https; ca-certificates adds them when it is installed)
if ls /usr/local/share/ca-certificates/*.crt >/dev/null 2>&1; then
  mkdir -p "$root/usr/local/share/ca-certificates"
  cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
  [ -x "$root/usr/sbin/update-ca-certificates" ] && chroot "$root" update-ca-certificates >/dev/null 2>&1
fi
# no service starts inside the chroot (it shares the host's network)
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod +x "$root/usr/sbin/policy-rc.d"
for m in proc sys dev dev/pts dev/shm; do
  mkdir -p "$root/$m"
  case $m in
    proc) mount -t proc proc "$root/proc" ;;
    sys) mount -t sysfs sys "$root/sys" ;;
    dev) mount --bind /dev "$root/dev" ;;
    dev/pts) mount -t devpts devpts "$root/dev/pts" ;;
    dev/shm) mount -t tmpfs -o mode=1777 shm "$root/dev/shm" ;;
  esac
  mounts+=("$root/$m")
done
echo "== chroot $root: $(in_root '. /etc/os-release; echo "$PRETTY_NAME"'), $(in_root 'dpkg-query -W | wc -l') packages"

if [ "$mode" = package ]; then
  # ---- the Debian package on a bare system ----
  ls dist/bereik_*.deb >/dev/null 2>&1 || { echo "fresh-machine: no dist/bereik_*.deb (scripts/package.sh)"; exit 1; }
  cp dist/bereik_*_*.deb "$root/root/"
  port=$(free_port)
  t0=$SECONDS
  echo "== apt-get install ./bereik_*.deb"
  in_root 'cd /root && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y ./bereik_*.deb' \
    >"$root/root/install.log" 2>&1 || { tail -30 "$root/root/install.log"; exit 1; }
  grep -E '^(The following NEW|Setting up bereik|Unpacking bereik)' "$root/root/install.log" || true
  echo "   $(in_root 'dpkg-query -W | wc -l') packages after the installation; $(elapsed $((SECONDS - t0)))"
  echo "== bereik --version: $(in_root 'bereik --version')"
  echo "== the user: $(in_root 'getent passwd bereik')"
  echo "== /etc/bereik/bereik.conf: $(in_root 'stat -c "%A %U:%G" /etc/bereik/bereik.conf')"
  echo "== systemd-analyze verify bereik.service"
  # --man=no: a minbase system has no man command; the page itself is shown below
  in_root 'systemd-analyze verify --man=no /lib/systemd/system/bereik.service' 2>&1 && echo "   no complaints"
  echo "== systemd-analyze verify bereik-mail.service bereik-mail.timer (bereik mail due, daily)"
  in_root 'systemd-analyze verify --man=no /lib/systemd/system/bereik-mail.service /lib/systemd/system/bereik-mail.timer' 2>&1 &&
    echo "   no complaints"
  echo "   $(in_root 'grep -E "^(OnCalendar|Persistent)=" /lib/systemd/system/bereik-mail.timer | tr "\n" " "')"
  echo "   enabled by the package: $(in_root 'systemctl is-enabled bereik-mail.timer' 2>&1)"
  echo "   next runs: $(in_root 'systemd-analyze calendar --iterations=2 "*-*-* 07:00:00 Europe/Brussels" | grep -E "Next|Iter" | tr -s " " | tr "\n" ";"')"
  echo "== man bereik (first lines)"
  in_root 'zcat /usr/share/man/man1/bereik.1.gz | head -3'
  # the unit's ExecStartPre and ExecStart as its user, with the state directory that
  # systemd would create (there is no systemd running in a chroot); another port
  in_root "install -d -o bereik -g bereik -m 0750 /var/lib/bereik"
  echo "== as bereik: bereik init --config /etc/bereik/bereik.conf"
  in_root "cd /var/lib/bereik && runuser -u bereik -- bereik init --config /etc/bereik/bereik.conf && ls -l /var/lib/bereik"
  echo "== as bereik: bereik mail due --dry-run --config /etc/bereik/bereik.conf (the timer's command)"
  in_root "cd /var/lib/bereik && runuser -u bereik -- bereik mail due --dry-run --config /etc/bereik/bereik.conf" 2>&1 | sed 's/^/   /'
  echo "== as bereik: bereik serve --config /etc/bereik/bereik.conf --listen 127.0.0.1:$port"
  setsid chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin /bin/sh -c \
    "cd /var/lib/bereik && exec runuser -u bereik -- bereik serve --config /etc/bereik/bereik.conf --listen 127.0.0.1:$port" \
    >"$root/root/serve.log" 2>&1 &
  spid=$!
  code=000
  for _ in $(seq 100); do
    code=$(curl -s -o "$root/root/healthz" -w '%{http_code}' "http://127.0.0.1:$port/healthz" || true)
    [ "$code" = 200 ] && break
    sleep 0.1
  done
  echo "   GET /healthz: $code $(cat "$root/root/healthz" 2>/dev/null)"
  echo "   the server runs with uid $(ps -o uid=,comm= -g "$spid" | awk '$2 == "bereik" {print $1}');" \
    "bereik is uid $(in_root 'id -u bereik')"
  kill -TERM -- -"$spid" 2>/dev/null || true
  wait "$spid" 2>/dev/null || true
  cat "$root/root/serve.log"
  [ "$code" = 200 ] || { echo "FAIL: /healthz answered $code"; exit 1; }
  echo "== apt-get remove bereik: the data stays"
  in_root 'DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq bereik >/dev/null && ls /var/lib/bereik'
  echo "== apt-get purge bereik: the data goes"
  in_root 'DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq bereik >/dev/null; ls -d /var/lib/bereik /etc/bereik 2>&1 || true'
  echo "ok: the package installs, serves /healthz as its user, and purges"
  exit 0
fi

# ---- the README's two commands on a bare system ----
echo "== copying the project (git archive HEAD) and ../shared into /root/work"
mkdir -p "$root/root/work/bereik"
git archive --format=tar HEAD | tar -x -C "$root/root/work/bereik"
shared=${SHARED_DIR:-$(cd .. && pwd)/shared}
rm -rf "$root/root/work/shared"
cp -a "$shared" "$root/root/work/shared"

port=$(free_port)
echo "== scripts/run.sh (BEREIK_LISTEN=127.0.0.1:$port)"
t0=$SECONDS
setsid chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 BEREIK_LISTEN="127.0.0.1:$port" \
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  /bin/bash -c 'cd /root/work/bereik && exec scripts/run.sh' >"$root/root/run.log" 2>&1 &
rpid=$!
code=000
while kill -0 "$rpid" 2>/dev/null; do
  if grep -q 'bereik is running at' "$root/root/run.log" &&
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz") && [ "$code" = 200 ]; then
    break
  fi
  sleep 1
done
t_run=$((SECONDS - t0))
kill -TERM -- -"$rpid" 2>/dev/null || true
wait "$rpid" 2>/dev/null || true
cat "$root/root/run.log"
echo "== scripts/run.sh: /healthz answered $code after $(elapsed $t_run)"
[ "$code" = 200 ] || { echo "FAIL: scripts/run.sh did not serve"; exit 1; }

echo "== scripts/test.sh${FRESH_TEST_SECONDS:+ (stopped after $FRESH_TEST_SECONDS s)}"
t0=$SECONDS
setsid chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 \
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  /bin/bash -c 'cd /root/work/bereik && exec scripts/test.sh' >"$root/root/test.log" 2>&1 &
tpid=$!
tail -n +1 -f --pid="$tpid" "$root/root/test.log" &
if [ -n "${FRESH_TEST_SECONDS:-}" ]; then
  # stop the whole process group (test.sh's EXIT trap stops its PostgreSQL cluster)
  (sleep "$FRESH_TEST_SECONDS" && kill -INT -- -"$tpid" && sleep 10 && kill_inside KILL) 2>/dev/null &
fi
set +e
wait "$tpid"
trc=$?
set -e
sleep 1
echo "== scripts/test.sh: exit status $trc after $(elapsed $((SECONDS - t0)))"
echo "== times: scripts/run.sh $(elapsed $t_run) (until /healthz), scripts/test.sh $(elapsed $((SECONDS - t0)))"
exit "$trc"
