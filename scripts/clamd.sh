#!/usr/bin/env bash
# A real ClamAV daemon for Omamori's tests, demo and CI, run with the project's OWN configuration
# and signature database (engines/av-clamav/signatures), never the system's, and no internet.
#
#   scripts/clamd.sh start|stop|restart|status|reload|port
#
#   start    install Debian's clamav-daemon + clamdscan if clamd is missing (root; otherwise
#            say what to run and exit 3), start clamd on 127.0.0.1:$OMAMORI_CLAMD_PORT and wait
#            until it answers PING with PONG. Cheap and silent when it is already up.
#   stop     stop our clamd and wait until it is gone.
#   restart  stop, then start.
#   status   exit 0 when clamd answers PONG on the port, 1 otherwise.
#   reload   copy the signature files again, send RELOAD and wait for clamd's verdict on them
#            (exit 1 if it rejected them; it then keeps the previous ones). Scans in flight do not
#            fail: ConcurrentDatabaseReload.
#   port     print the TCP port.
#
# Environment:
#   OMAMORI_CLAMD_DIR         state folder (default <repo>/run/clamd): clamd.conf, db/, clamd.pid,
#                             clamd.log, clamd.sock, tmp/
#   OMAMORI_CLAMD_PORT        TCP port on 127.0.0.1 (default 3399)
#   OMAMORI_CLAMD_SIGNATURES  folder with the signature files (default engines/av-clamav/signatures)
#
# Exit codes: 0 ok, 1 failed (the reason is printed), 2 usage or port taken by someone else,
# 3 clamd is not installed and we are not root.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="${OMAMORI_CLAMD_DIR:-$ROOT/run/clamd}"
PORT="${OMAMORI_CLAMD_PORT:-3399}"
SIGNATURES="${OMAMORI_CLAMD_SIGNATURES:-$ROOT/engines/av-clamav/signatures}"
CLAMD_BIN="/usr/sbin/clamd"
CONF="$STATE/clamd.conf"
PIDFILE="$STATE/clamd.pid"
LOG="$STATE/clamd.log"
OUT="$STATE/clamd.out"
SOCK="$STATE/clamd.sock"
START_WAIT_SECONDS=60
STOP_WAIT_SECONDS=20

die() { local code="$1"; shift; printf 'clamd.sh: %s\n' "$@" >&2; exit "$code"; }

[[ "$PORT" =~ ^[0-9]+$ ]] && (( PORT > 0 && PORT < 65536 )) \
  || die 2 "OMAMORI_CLAMD_PORT must be a TCP port number, got '$PORT'."

# Send one NUL-terminated command (zCMD) and print clamd's reply without the NUL.
# Bounded: 2 s to connect and answer, 3 s in all, so a wedged listener never hangs us.
clamd_command() {
  timeout 3 bash -c '
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    printf "z%s\0" "$2" >&3
    IFS= read -r -d "" -t 2 reply <&3 || [[ -n "$reply" ]] || exit 1
    printf "%s" "$reply"' _ "$PORT" "$1" 2>/dev/null
}

answers_pong() { [[ "$(clamd_command PING || true)" == "PONG" ]]; }

# The pid of OUR clamd (started with our clamd.conf), or nothing. The pid file is checked first;
# a stale or reused one (another process now has that pid) is ignored, and a lost one is
# recovered by looking for a clamd running with our clamd.conf.
our_pid() {
  local pid candidates=()
  [[ -f "$PIDFILE" ]] && candidates+=("$(tr -dc '0-9' <"$PIDFILE" 2>/dev/null || true)")
  candidates+=($(pgrep -x clamd 2>/dev/null || true))
  for pid in "${candidates[@]}"; do
    [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || continue
    if [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == clamd ]] \
        && tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | grep -qxF -- "--config-file=$CONF"; then
      printf '%s' "$pid"
      return 0
    fi
  done
  return 0
}

install_clamd() {
  [[ -x "$CLAMD_BIN" ]] && return 0
  local packages=(clamav-daemon clamdscan)
  if (( EUID != 0 )); then
    die 3 "clamd is not installed ($CLAMD_BIN missing) and installing needs root. Run:" \
          "  sudo apt-get install -y --no-install-recommends ${packages[*]}" \
          "then run this script again."
  fi
  command -v apt-get >/dev/null || die 1 "clamd is missing and apt-get is not available: install ClamAV's clamd (1.x) by hand."
  local log="$STATE/install.log"
  export DEBIAN_FRONTEND=noninteractive
  # Try with the current package lists first; refresh them only when that fails (fresh CI image).
  if ! apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=120 "${packages[@]}" >"$log" 2>&1; then
    { apt-get update -q -o DPkg::Lock::Timeout=120 && apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=120 "${packages[@]}"; } >>"$log" 2>&1 \
      || { tail -n 20 "$log" >&2; die 1 "installing ${packages[*]} failed (full log: $log)."; }
  fi
  [[ -x "$CLAMD_BIN" ]] || die 1 "installed ${packages[*]} but $CLAMD_BIN is still missing (see $log)."
}

# Which user clamd runs as: itself when not root; as root, drop to 'clamav' when that user can
# reach the state folder (every parent directory must be searchable), else stay root.
run_as_user() {
  if (( EUID == 0 )) && id clamav >/dev/null 2>&1 \
      && runuser -u clamav -- test -x "$STATE" 2>/dev/null; then
    echo clamav
  fi
}

# A fresh copy of the project's signatures: clamd reads from the state folder, so editing the
# repo never changes a running daemon behind its back (reload does, on purpose). Each file is
# replaced by rename, so a reload at any moment sees either the old or the new file, never none.
copy_signatures() {
  local user="$1" f name copied=()
  mkdir -p "$STATE/db"
  for f in "$SIGNATURES"/*.{hdb,hsb,hdu,hsu,mdb,msb,ndb,ndu,ldb,ldu,cdb,idb,fp,sfp,ign,ign2,cvd,cld,cud,yar,yara}; do
    [[ -f "$f" ]] || continue
    name="$(basename "$f")"
    cp "$f" "$STATE/db/.$name.tmp"
    mv -f "$STATE/db/.$name.tmp" "$STATE/db/$name"
    copied+=("$name")
  done
  (( ${#copied[@]} > 0 )) || die 1 "no signature files in $SIGNATURES (expected omamori.hdb, omamori.ndb, ...)."
  for f in "$STATE/db"/*; do  # files removed from the source go away here too
    [[ -f "$f" ]] || continue
    name="$(basename "$f")"
    [[ " ${copied[*]} " == *" $name "* ]] || rm -f "$f"
  done
  if [[ -n "$user" ]]; then chown -R "$user:" "$STATE/db"; fi
}

write_config() {
  local user="$1"
  mkdir -p "$STATE/tmp"
  copy_signatures "$user"

  {
    echo "# Generated by scripts/clamd.sh on every start; edit the script, not this file."
    echo "Foreground yes"
    echo "PidFile $PIDFILE"
    echo "LogFile $LOG"
    echo "LogTime yes"
    echo "LogFileMaxSize 10M"
    echo "LogRotate yes"
    echo "DatabaseDirectory $STATE/db"
    echo "TemporaryDirectory $STATE/tmp"
    echo "TCPAddr 127.0.0.1"
    echo "TCPSocket $PORT"
    # sun_path holds 107 bytes; a deep state folder simply goes without the local socket.
    if (( ${#SOCK} < 100 )); then
      echo "LocalSocket $SOCK"
      echo "LocalSocketMode 660"
    fi
    echo "MaxThreads 8"
    echo "MaxConnectionQueueLength 64"
    echo "ReadTimeout 30"
    echo "CommandReadTimeout 10"
    echo "SendBufTimeout 500"
    echo "StreamMaxLength 64M"
    echo "MaxFileSize 64M"
    echo "MaxScanSize 256M"
    echo "ScanArchive yes"
    # Load new signatures beside the old ones so scans in flight never wait for or fail on RELOAD.
    echo "ConcurrentDatabaseReload yes"
    # Definitions change through 'reload' (and later the cloud), not by polling the folder.
    echo "SelfCheck 0"
    if [[ -n "$user" ]]; then echo "User $user"; fi
  } >"$CONF"
  if [[ -n "$user" ]]; then chown -R "$user:" "$STATE"; fi
}

do_start() {
  local pid
  pid="$(our_pid)"
  if [[ -n "$pid" ]] && answers_pong; then
    # Found through the process table: put a lost or stale pid file right for the next caller.
    [[ "$(cat "$PIDFILE" 2>/dev/null)" == "$pid" ]] || echo "$pid" >"$PIDFILE" 2>/dev/null || true
    return 0
  fi
  if [[ -z "$pid" ]] && answers_pong; then
    die 2 "something else answers PING on 127.0.0.1:$PORT (not the clamd of $STATE)." \
          "Stop it, or choose another port: OMAMORI_CLAMD_PORT=<port> $0 start"
  fi
  # Ours but not answering (wedged, or still loading after a crash of a previous start): restart.
  [[ -n "$pid" ]] && do_stop

  install_clamd
  local user; user="$(run_as_user)"
  write_config "$user"
  rm -f "$PIDFILE" "$SOCK"
  : >"$OUT"
  if [[ -n "$user" ]]; then chown "$user:" "$OUT"; fi

  # setsid: clamd leaves our session and survives the caller (a test JVM, a CI step); its stdio
  # goes to a file so a caller reading our output is never held open; 9>&- drops our lock fd.
  setsid "$CLAMD_BIN" --config-file="$CONF" </dev/null >>"$OUT" 2>&1 9>&- &
  pid=$!
  disown "$pid" 2>/dev/null || true

  local deadline=$((SECONDS + START_WAIT_SECONDS))
  while (( SECONDS < deadline )); do
    if answers_pong; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then
      { tail -n 15 "$OUT"; [[ -f "$LOG" ]] && tail -n 15 "$LOG"; } >&2 || true
      die 1 "clamd exited during start-up (see above, $OUT and $LOG)."
    fi
    sleep 0.2
  done
  kill -TERM "$pid" 2>/dev/null || true
  [[ -f "$LOG" ]] && tail -n 15 "$LOG" >&2
  die 1 "clamd did not answer PING on 127.0.0.1:$PORT within ${START_WAIT_SECONDS}s; stopped it (log: $LOG)."
}

do_stop() {
  local pid; pid="$(our_pid)"
  if [[ -n "$pid" ]]; then
    kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + STOP_WAIT_SECONDS))
    while kill -0 "$pid" 2>/dev/null && (( SECONDS < deadline )); do sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      kill -KILL "$pid" 2>/dev/null || true
      while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
    fi
  fi
  rm -f "$PIDFILE" "$SOCK"
}

do_restart() { do_stop; do_start; }

do_reload() {
  local pid; pid="$(our_pid)"
  [[ -n "$pid" ]] && answers_pong || die 1 "clamd of $STATE is not running on 127.0.0.1:$PORT; run: $0 start"
  copy_signatures "$(run_as_user)"
  local seen; seen="$(stat -c %s "$LOG" 2>/dev/null || echo 0)"
  local reply; reply="$(clamd_command RELOAD || true)"
  [[ "$reply" == "RELOADING" ]] || die 1 "clamd answered RELOAD with '${reply:-nothing}' instead of RELOADING."
  # clamd loads in the background and only its log tells how it went; a failed load keeps the
  # previous database, so say so instead of pretending the new signatures are live.
  local deadline=$((SECONDS + START_WAIT_SECONDS)) news
  while (( SECONDS < deadline )); do
    news="$(tail -c +"$((seen + 1))" "$LOG" 2>/dev/null || true)"
    [[ "$news" == *"Database correctly reloaded"* ]] && return 0
    if [[ "$news" == *"reload failed"* || "$news" == *"load failed"* ]]; then
      grep -E "ERROR|WARNING" <<<"$news" | tail -n 5 >&2 || true
      die 1 "clamd rejected the new signatures from $SIGNATURES and keeps the previous ones (log: $LOG)."
    fi
    sleep 0.1
  done
  die 1 "clamd did not report the end of the reload within ${START_WAIT_SECONDS}s (log: $LOG)."
}

# One caller at a time per state folder: parallel test JVMs and CI steps may all call start.
with_lock() {
  mkdir -p "$STATE"
  exec 9>>"$STATE/clamd.lock"
  flock -w 300 9 || die 1 "another clamd.sh holds $STATE/clamd.lock for more than 300 s."
  "$@"
}

case "${1:-}" in
  start)   with_lock do_start ;;
  stop)    with_lock do_stop ;;
  restart) with_lock do_restart ;;
  status)  answers_pong || { echo "clamd.sh: no clamd answers PING on 127.0.0.1:$PORT." >&2; exit 1; } ;;
  reload)  with_lock do_reload ;;
  port)    echo "$PORT" ;;
  *)       die 2 "usage: $0 start|stop|restart|status|reload|port" ;;
esac
