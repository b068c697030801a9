#!/usr/bin/env bash
# nDPI, the deep packet inspection library the application-identification engine
# (engines/appid-ndpi) calls: Debian's libndpi4.2 (LGPL-3.0), installed on first use (root,
# apt-get) like scripts/clamd.sh and scripts/fonts.sh, so a fresh machine needs no hand set-up.
# The engine binds it with Java's FFM API and needs only the shared library, not the headers.
#
#   scripts/ndpi.sh install   install it when missing; prints the library's path; exit 0 when usable
#   scripts/ndpi.sh path      print the library's path; exit 1 when it is not installed
#   scripts/ndpi.sh shim JAVA_HOME SOURCE OUT_DIR
#                             compile the engine's JNI shim (the build calls this): gcc and the
#                             JDK's jni.h only, no nDPI headers (the shim opens libndpi itself);
#                             installs gcc when missing (root). Writes OUT_DIR/linux-ARCH/libomamori_ndpi.so
#
# Exit codes: 0 ok, 1 failed (the reason is printed), 2 usage, 3 missing and we are not root.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PACKAGE=libndpi4.2

die() { local code="$1"; shift; printf 'ndpi.sh: %s\n' "$@" >&2; exit "$code"; }

# The library as the engine looks for it (AppIdNative's candidates, Debian's multiarch folders first).
library() {
  local candidate
  for candidate in /usr/lib/x86_64-linux-gnu/libndpi.so.4.2 /usr/lib/aarch64-linux-gnu/libndpi.so.4.2 \
      /usr/lib/libndpi.so.4.2 /usr/local/lib/libndpi.so.4.2; do
    [[ -f "$candidate" ]] && { echo "$candidate"; return 0; }
  done
  return 1
}

install() {
  library >/dev/null && return 0
  (( EUID == 0 )) || die 3 "libndpi is missing and installing needs root. Run: sudo apt-get install -y --no-install-recommends $PACKAGE"
  command -v apt-get >/dev/null || die 1 "apt-get is not available: install nDPI 4.2 (libndpi.so.4.2) by hand."
  mkdir -p "$ROOT/run"
  local log="$ROOT/run/ndpi-install.log"
  # shellcheck source=scripts/apt.sh
  source "$ROOT/scripts/apt.sh"
  omamori_apt_install "$log" "$PACKAGE" || die 1 "installing $PACKAGE failed (full log: $log)."
  library >/dev/null || die 1 "installed $PACKAGE but libndpi.so.4.2 is still missing (see $log)."
}

shim() {
  local java_home="$1" source="$2" out="$3" arch
  [[ -f "$java_home/include/jni.h" ]] || die 1 "no jni.h under $java_home/include: the build needs a JDK, not a JRE."
  if ! command -v gcc >/dev/null; then
    (( EUID == 0 )) || die 3 "gcc is missing and installing needs root. Run: sudo apt-get install -y --no-install-recommends gcc libc6-dev"
    mkdir -p "$ROOT/run"
    # shellcheck source=scripts/apt.sh
    source "$ROOT/scripts/apt.sh"
    omamori_apt_install "$ROOT/run/gcc-install.log" gcc libc6-dev || die 1 "installing gcc failed (full log: $ROOT/run/gcc-install.log)."
  fi
  case "$(uname -m)" in
    x86_64) arch=x86_64 ;;
    aarch64|arm64) arch=aarch64 ;;
    *) die 1 "no shim for $(uname -m): the engine knows linux-x86_64 and linux-aarch64." ;;
  esac
  mkdir -p "$out/linux-$arch"
  gcc -O2 -fPIC -shared -Wall -Werror -fvisibility=default -fstack-protector-strong -D_FORTIFY_SOURCE=2 \
      -I"$java_home/include" -I"$java_home/include/linux" \
      -o "$out/linux-$arch/libomamori_ndpi.so" "$source" -ldl \
    || die 1 "compiling $source failed."
}

case "${1:-}" in
  install) install; library ;;
  path) library || exit 1 ;;
  shim) (( $# == 4 )) || die 2 "usage: scripts/ndpi.sh shim JAVA_HOME SOURCE OUT_DIR"; shim "$2" "$3" "$4" ;;
  *) die 2 "usage: scripts/ndpi.sh install|path|shim JAVA_HOME SOURCE OUT_DIR" ;;
esac
