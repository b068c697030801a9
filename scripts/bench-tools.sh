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
  export DEBIAN_FRONTEND=noninteractive
  log=$(mktemp)
  if ! apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=120 "${packages[@]}" >"$log" 2>&1; then
    { apt-get update -q -o DPkg::Lock::Timeout=120 && apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=120 "${packages[@]}"; } >>"$log" 2>&1 \
      || { tail -n 20 "$log" >&2; echo "bench-tools: installing ${packages[*]} failed" >&2; exit 1; }
  fi
fi
echo "wrk=$(command -v wrk)"
echo "nginx=$(command -v nginx || echo /usr/sbin/nginx)"
