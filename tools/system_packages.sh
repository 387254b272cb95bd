#!/usr/bin/env bash
# Installs the Debian packages the report's tests run (chromium for Playwright, postgresql for a throwaway
# server) when missing. Idempotent: with both present it installs nothing and needs no network.
set -euo pipefail

missing=()
chromium=$(command -v chromium || true)
[ -x "$chromium" ] || [ -x /usr/bin/chromium ] || missing+=(chromium)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "error: Debian packages missing: ${missing[*]}; install them as root:" >&2
  echo "  apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi

apt_install() {
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${missing[@]}" 2>&1 | tee "$log"
  return "${PIPESTATUS[0]}"
}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
echo "installing Debian packages: ${missing[*]}"
# A fresh Debian image ships no package lists: fetch them only when the install fails for want of them.
if ! apt_install; then
  grep -qE 'Unable to locate package|has no installation candidate|Failed to fetch' "$log" || exit 1
  "${sudo[@]}" apt-get update
  apt_install
fi
