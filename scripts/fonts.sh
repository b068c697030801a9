#!/usr/bin/env bash
# The Japanese font invoices embed (bundles/invoice): Debian's IPA Gothic (fonts-ipafont-gothic,
# IPA Font License, which allows embedding). Installed on first use (root, apt-get), like
# scripts/clamd.sh and scripts/browser.sh: a fresh machine needs no hand set-up.
#
#   scripts/fonts.sh install   install it when missing; prints the font's path; exit 0 when usable
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FONT=/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf
PACKAGE=fonts-ipafont-gothic

die() { local code="$1"; shift; printf 'fonts.sh: %s\n' "$@" >&2; exit "$code"; }

install() {
  [[ -f "$FONT" ]] && return 0
  (( EUID == 0 )) || die 3 "$FONT is missing and installing needs root. Run: sudo apt-get install -y --no-install-recommends $PACKAGE"
  command -v apt-get >/dev/null || die 1 "apt-get is not available: install IPA Gothic by hand ($FONT)."
  mkdir -p "$ROOT/run"
  local log="$ROOT/run/fonts-install.log"
  # shellcheck source=scripts/apt.sh
  source "$ROOT/scripts/apt.sh"
  omamori_apt_install "$log" "$PACKAGE" || die 1 "installing $PACKAGE failed (full log: $log)."
  [[ -f "$FONT" ]] || die 1 "installed $PACKAGE but $FONT is still missing (see $log)."
}

case "${1:-}" in
  install) install; echo "$FONT" ;;
  *) die 2 "usage: scripts/fonts.sh install" ;;
esac
