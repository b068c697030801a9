#!/usr/bin/env bash
# Installs the load tools the benchmarks drive: wrk (load generator) and nginx (origin) for the proxy,
# dnsperf (load generator) and unbound (the resolver to compare with) for the DNS filter, and
# e2guardian (the filtering proxy to compare the antivirus download rate with, bench E2guardianAv) and
# clamdscan (clamd's own client, bench AvVersusClamdscan; a machine may have clamd without it).
# Debian packages; needs root or sudo. Prints the paths of the tools.
# Exit: 0 ready, 1 install failed, 3 missing and cannot install (not root).
set -euo pipefail
packages=()
command -v wrk >/dev/null || packages+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || packages+=(nginx-light)
command -v dnsperf >/dev/null || packages+=(dnsperf)
command -v unbound >/dev/null || [ -x /usr/sbin/unbound ] || packages+=(unbound)
command -v e2guardian >/dev/null || [ -x /usr/sbin/e2guardian ] || packages+=(e2guardian)
command -v clamdscan >/dev/null || packages+=(clamdscan)
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
echo "dnsperf=$(command -v dnsperf)"
echo "unbound=$(command -v unbound || echo /usr/sbin/unbound)"
echo "e2guardian=$(command -v e2guardian || echo /usr/sbin/e2guardian)"
echo "clamdscan=$(command -v clamdscan)"
