#!/usr/bin/env bash
# Installs the load tools the proxy benchmark drives: wrk (load generator) and nginx (origin).
# Debian packages; needs root or sudo. Prints the paths of both tools.
# Exit: 0 ready, 1 install failed, 3 missing and cannot install (not root).
set -euo pipefail
packages=()
command -v wrk >/dev/null || packages+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || packages+=(nginx-light)
if [ ${#packages[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "bench-tools: ${packages[*]} missing; run: sudo apt-get install -y --no-install-recommends ${packages[*]}" >&2
    exit 3
  fi
  log=$(mktemp)
  # shellcheck source=scripts/apt.sh
  source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/apt.sh"
  omamori_apt_install "$log" "${packages[@]}" || { echo "bench-tools: installing ${packages[*]} failed (log: $log)" >&2; exit 1; }
fi
echo "wrk=$(command -v wrk)"
echo "nginx=$(command -v nginx || echo /usr/sbin/nginx)"
