# shellcheck shell=bash
# Sourced by the project's scripts that install Debian packages a command or test needs
# (clamd.sh, browser.sh, fonts.sh, netns-tools.sh, bench-tools.sh).

# omamori_apt_install LOG PACKAGE...: installs the packages with the current package lists first and
# refreshes them only when that fails (a fresh CI image); dpkg's lock is waited for, not failed on (two
# builds may install at once). On failure prints the log's last lines and returns 1; the caller names it.
omamori_apt_install() {
  local log="$1"; shift
  export DEBIAN_FRONTEND=noninteractive
  local opts=(-y -q --no-install-recommends -o DPkg::Lock::Timeout=300)
  if ! apt-get install "${opts[@]}" "$@" >"$log" 2>&1; then
    { apt-get update -q -o DPkg::Lock::Timeout=300 && apt-get install "${opts[@]}" "$@"; } >>"$log" 2>&1 \
      || { tail -n 20 "$log" >&2; return 1; }
  fi
}
