#!/usr/bin/env bash
# Installs the system tools the test suite needs, only when missing (idempotent):
#   redis-server  (Debian package redis-server) - real servers for the e2e harness
#   promtool      (Debian package prometheus)   - lints the /metrics exposition
#   chromium      (Debian package chromium)     - the dashboard e2e suite drives it headless (puppeteer-core)
# As root it installs them with apt-get; otherwise it exits 1 printing the command.
# Package maintainer scripts are kept from starting services, and any daemon the
# install started anyway is stopped; pre-existing processes (e.g. a redis on 6379)
# are never touched.
set -euo pipefail

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)

if [ "${#missing[@]}" -eq 0 ]; then
  echo "ensure-deps: redis-server, promtool and chromium are installed"
  exit 0
fi

install_cmd="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-deps: missing ${missing[*]}; run as root:" >&2
  echo "  $install_cmd" >&2
  exit 1
fi

# Debian's standard switch: invoke-rc.d starts no service while policy-rc.d exits 101.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod 755 "$policy"
  trap 'rm -f "$policy"' EXIT
fi

# Debian's services run as their own users; our harness's redis-servers never do.
daemons() {
  for user in redis prometheus; do
    if id -u "$user" >/dev/null 2>&1; then pgrep -u "$user" || true; fi
  done | sort
}
before="$(daemons)"

echo "ensure-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"

# Belt and braces: stop any daemon that appeared during the install, by pid.
for pid in $(comm -13 <(echo "$before") <(daemons)); do
  echo "ensure-deps: stopping $(cat "/proc/$pid/comm" 2>/dev/null || echo daemon) (pid $pid) started by the install"
  kill "$pid" 2>/dev/null || true
done

command -v redis-server >/dev/null && command -v promtool >/dev/null && command -v chromium >/dev/null || {
  echo "ensure-deps: install finished but redis-server, promtool or chromium is still missing" >&2
  exit 1
}
echo "ensure-deps: ok ($(redis-server --version | cut -d' ' -f3), $(promtool --version 2>&1 | head -1), $(chromium --version 2>/dev/null | head -1))"
