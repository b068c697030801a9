#!/usr/bin/env bash
# The tools the appliance's bridge mode and its itest need: nftables (the redirect rules),
# iproute2 (bridge, veth, network namespaces) and dnsmasq-base (the itest's resolver in the
# router namespace). Installed on first use (root, apt-get), like scripts/clamd.sh installs clamd.
#
#   scripts/netns-tools.sh install   install what is missing; exit 0 when usable
#   scripts/netns-tools.sh check     exit 0 when installed, 3 when not (prints what is missing)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PACKAGES=(nftables iproute2 dnsmasq-base)
TOOLS=(/usr/sbin/nft /usr/sbin/ip /usr/sbin/bridge /usr/sbin/dnsmasq)

die() { local code="$1"; shift; printf 'netns-tools.sh: %s\n' "$@" >&2; exit "$code"; }

missing() { local t; for t in "${TOOLS[@]}"; do [[ -x "$t" ]] || printf '%s ' "$t"; done; }

install() {
  [[ -z "$(missing)" ]] && return 0
  if (( EUID != 0 )); then
    die 3 "missing: $(missing)and installing needs root. Run:" \
          "  sudo apt-get install -y --no-install-recommends ${PACKAGES[*]}"
  fi
  command -v apt-get >/dev/null || die 1 "apt-get is not available: install ${PACKAGES[*]} by hand."
  local dir="$ROOT/run/netns-tools"
  mkdir -p "$dir"
  local log="$dir/install.log"
  # shellcheck source=scripts/apt.sh
  source "$ROOT/scripts/apt.sh"
  omamori_apt_install "$log" "${PACKAGES[@]}" || die 1 "installing ${PACKAGES[*]} failed (full log: $log)."
  [[ -z "$(missing)" ]] || die 1 "installed ${PACKAGES[*]} but still missing: $(missing)(see $log)."
}

case "${1:-}" in
  install) install ;;
  check) m="$(missing)"; [[ -z "$m" ]] || die 3 "missing: $m" ;;
  *) die 2 "usage: scripts/netns-tools.sh install|check" ;;
esac
