#!/usr/bin/env bash
# The browser the portal's browser tests drive: Debian's Chromium and ChromeDriver, and a Japanese
# font so screenshots show Japanese rather than boxes. Installed on first use (root, apt-get), like
# scripts/clamd.sh installs clamd: a fresh machine needs no hand set-up.
#
#   scripts/browser.sh install   install what is missing; prints the two paths; exit 0 when usable
#   scripts/browser.sh check     exit 0 when both are installed, 3 when not (prints what is missing)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CHROMIUM=/usr/bin/chromium
DRIVER=/usr/bin/chromedriver
PACKAGES=(chromium chromium-driver fonts-ipafont-gothic)

die() { local code="$1"; shift; printf 'browser.sh: %s\n' "$@" >&2; exit "$code"; }

installed() { [[ -x "$CHROMIUM" && -x "$DRIVER" ]] && fc-list 2>/dev/null | grep -qi ipagothic; }

install() {
  installed && return 0
  if (( EUID != 0 )); then
    die 3 "Chromium, ChromeDriver or the IPA Gothic font is missing and installing needs root. Run:" \
          "  sudo apt-get install -y --no-install-recommends ${PACKAGES[*]}"
  fi
  command -v apt-get >/dev/null || die 1 "apt-get is not available: install Chromium and ChromeDriver by hand ($CHROMIUM, $DRIVER)."
  local dir="$ROOT/run/browser"
  mkdir -p "$dir"
  local log="$dir/install.log"
  # shellcheck source=scripts/apt.sh
  source "$ROOT/scripts/apt.sh"
  omamori_apt_install "$log" "${PACKAGES[@]}" || die 1 "installing ${PACKAGES[*]} failed (full log: $log)."
  installed || die 1 "installed ${PACKAGES[*]} but something is still missing (see $log)."
}

case "${1:-}" in
  install) install; echo "$CHROMIUM"; echo "$DRIVER" ;;
  check) installed || die 3 "missing: Chromium ($CHROMIUM), ChromeDriver ($DRIVER) or fonts-ipafont-gothic" ;;
  *) die 2 "usage: scripts/browser.sh install|check" ;;
esac
