#!/usr/bin/env bash
# A private rspamd for Omamori's antispam tests, demo and CI, run with the project's OWN
# configuration (engines/antispam-rspamd/rspamd), offline: no DNS, RBL, SURBL, fuzzy, URL
# reputation or remote maps, and no redis (so no Bayes: see engines/antispam-rspamd/README.md).
#
#   scripts/rspamd.sh start|stop|restart|status|port
#
#   start    install Debian's rspamd if it is missing (root; otherwise say what to run and exit 3),
#            write the configuration into the state folder, start one normal worker on
#            127.0.0.1:$OMAMORI_RSPAMD_PORT and wait until it answers GET /ping with pong.
#            Cheap and silent when it is already up.
#   stop     stop our rspamd and wait until it is gone.
#   restart  stop, then start (the way to load a changed configuration).
#   status   exit 0 when rspamd answers /ping on the port, 1 otherwise.
#   port     print the TCP port.
#
# Environment:
#   OMAMORI_RSPAMD_DIR     state folder (default <repo>/run/rspamd): rspamd.conf, local.d/, db/,
#                          rspamd.pid, rspamd.log, rspamd.out
#   OMAMORI_RSPAMD_PORT    TCP port on 127.0.0.1 (default 3398)
#   OMAMORI_RSPAMD_RULES   folder with the project's rules (default engines/antispam-rspamd/rspamd)
#
# Exit codes: 0 ok, 1 failed (the reason is printed), 2 usage or port taken by someone else,
# 3 rspamd is not installed and we are not root.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="${OMAMORI_RSPAMD_DIR:-$ROOT/run/rspamd}"
PORT="${OMAMORI_RSPAMD_PORT:-3398}"
RULES="${OMAMORI_RSPAMD_RULES:-$ROOT/engines/antispam-rspamd/rspamd}"
RSPAMD_BIN="/usr/bin/rspamd"
CONF="$STATE/rspamd.conf"
PIDFILE="$STATE/rspamd.pid"
LOG="$STATE/rspamd.log"
OUT="$STATE/rspamd.out"
START_WAIT_SECONDS=300  # the first start compiles rspamd's regular expressions (40 s on an idle 2-core machine)
STOP_WAIT_SECONDS=20

die() { local code="$1"; shift; printf 'rspamd.sh: %s\n' "$@" >&2; exit "$code"; }

[[ "$PORT" =~ ^[0-9]+$ ]] && (( PORT > 0 && PORT < 65536 )) \
  || die 2 "OMAMORI_RSPAMD_PORT must be a TCP port number, got '$PORT'."

# GET /ping on the port; bounded (3 s in all) so a wedged listener never hangs us.
answers_pong() {
  local reply
  reply="$(timeout 3 bash -c '
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    printf "GET /ping HTTP/1.0\r\n\r\n" >&3
    head -c 4096 <&3' _ "$PORT" 2>/dev/null || true)"
  [[ "$reply" == HTTP/1.?\ 200* && "$reply" == *pong* ]]
}

# The pid of OUR rspamd main process (started with our rspamd.conf), or nothing.
our_pid() {
  local pid candidates=()
  [[ -f "$PIDFILE" ]] && candidates+=("$(tr -dc '0-9' <"$PIDFILE" 2>/dev/null || true)")
  candidates+=($(pgrep -f "^rspamd: main process" 2>/dev/null || true))
  for pid in "${candidates[@]}"; do
    [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || continue
    # rspamd rewrites its command line and environment (process title); it runs in our state
    # folder, though, so its working directory tells ours from any other rspamd.
    if [[ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" == "$(cd "$STATE" && pwd -P)" ]] \
        && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q '^rspamd: main process'; then
      printf '%s' "$pid"
      return 0
    fi
  done
  return 0
}

install_rspamd() {
  [[ -x "$RSPAMD_BIN" ]] && return 0
  if (( EUID != 0 )); then
    die 3 "rspamd is not installed ($RSPAMD_BIN missing) and installing needs root. Run:" \
          "  sudo apt-get install -y --no-install-recommends rspamd" \
          "then run this script again."
  fi
  command -v apt-get >/dev/null || die 1 "rspamd is missing and apt-get is not available: install rspamd (3.x) by hand."
  local log="$STATE/install.log"
  # shellcheck source=scripts/apt.sh
  source "$ROOT/scripts/apt.sh"
  omamori_apt_install "$log" rspamd || die 1 "installing rspamd failed (full log: $log)."
  [[ -x "$RSPAMD_BIN" ]] || die 1 "installed rspamd but $RSPAMD_BIN is still missing (see $log)."
  # Debian's package may start the system's own rspamd (11332-11334): it is not ours, and not used.
}

# Which user rspamd's workers run as: root drops to _rspamd when it can reach the state folder.
run_as_user() {
  if (( EUID == 0 )) && id _rspamd >/dev/null 2>&1 \
      && runuser -u _rspamd -- test -x "$STATE" 2>/dev/null; then
    echo _rspamd
  fi
}

# The modules of Debian's configuration that work offline and without redis. Everything else
# (rbl, surbl, emails, fuzzy_check, asn, spf, dkim, dmarc, arc, phishing, whitelist, mx_check,
# greylist, ratelimit, replies, neural, reputation, url_redirector, Bayes, ...) is simply not
# configured, so rspamd does not load it.
OFFLINE_MODULES=(regexp chartable mime_types hfilter mid once_received forged_recipients maillist trie force_actions)

write_config() {
  local user="$1" m
  mkdir -p "$STATE/db" "$STATE/local.d" "$STATE/override.d"
  # The project's rules: a fresh copy, so editing the repo never changes a running daemon.
  rm -rf "$STATE/local.d" && mkdir -p "$STATE/local.d"
  [[ -d "$RULES/local.d" ]] && cp -r "$RULES/local.d/." "$STATE/local.d/"
  {
    echo "# Generated by scripts/rspamd.sh on every start; edit the script or $RULES, not this file."
    echo 'lua = "$RULESDIR/rspamd.lua"'
    echo '.include "$CONFDIR/metrics.conf"'
    echo '.include "$CONFDIR/actions.conf"'
    echo '.include "$CONFDIR/groups.conf"'
    echo '.include "$CONFDIR/composites.conf"'
    echo 'modules { path = "${PLUGINSDIR}"; fallback_path = "${SHAREDIR}/lua"; }'
    for m in "${OFFLINE_MODULES[@]}"; do echo ".include \"\$CONFDIR/modules.d/$m.conf\""; done
    # The project's own rules (Japanese spam phrases and more): a multimap of our own only.
    echo '.include(try=true) "$LOCAL_CONFDIR/local.d/omamori.conf"'
    echo '.include "$CONFDIR/settings.conf"'
    echo 'options {'
    echo '  .include "$CONFDIR/options.inc"'
    # Any DNS query left fails at once on a closed loopback port: nothing leaves the machine.
    echo '  dns { nameserver = ["127.0.0.1:1"]; timeout = 0.2s; retransmits = 0; }'
    echo '  local_addrs = [];'
    echo "  tempdir = \"$STATE/tmp\";"
    echo '  task_timeout = 8s;'
    echo '}'
    echo 'logging {'
    echo '  type = "file";'
    echo "  filename = \"$LOG\";"
    echo '  level = "notice";'
    # No addresses, subjects or other content in the log: score, symbols, size and time only.
    echo '  log_format = "id: <$mid>, ($action): [$scores] [$symbols], len: $len, time: $time_real";'
    echo '}'
    echo 'worker "normal" {'
    echo "  bind_socket = \"127.0.0.1:$PORT\";"
    echo '  .include "$CONFDIR/worker-normal.inc"'
    echo '  count = 2;'
    echo '}'
  } >"$CONF"
  # The hfilter checks that need DNS (HELO, rDNS, sender MX) are off; the local ones stay on.
  printf '%s\n' 'helo_enabled = false;' 'hostname_enabled = false;' 'from_enabled = false;' >"$STATE/override.d/hfilter.conf"
  # Remote maps are never fetched: Debian's local copies only.
  printf '%s\n' 'file = ["${CONFDIR}/maps.d/mime_types.inc"];' >"$STATE/override.d/mime_types.conf"
  printf '%s\n' 'source = "${CONFDIR}/maps.d/mid.inc";' >"$STATE/override.d/mid.conf"
  mkdir -p "$STATE/tmp"
  if [[ -n "$user" ]]; then chown -R "$user:" "$STATE"; fi
}

do_start() {
  local pid
  pid="$(our_pid)"
  if [[ -n "$pid" ]] && answers_pong; then
    return 0
  fi
  if [[ -z "$pid" ]] && answers_pong; then
    die 2 "something else answers /ping on 127.0.0.1:$PORT (not the rspamd of $STATE)." \
          "Stop it, or choose another port: OMAMORI_RSPAMD_PORT=<port> $0 start"
  fi
  [[ -n "$pid" ]] && do_stop

  install_rspamd
  local user; user="$(run_as_user)"
  write_config "$user"
  rm -f "$PIDFILE"
  : >"$OUT"

  local args=(-f -c "$CONF" --var "LOCAL_CONFDIR=$STATE" --var "DBDIR=$STATE/db" --var "RUNDIR=$STATE"
              --var "LOGDIR=$STATE")
  if [[ -n "$user" ]]; then args+=(-u "$user" -g "$user"); elif (( EUID == 0 )); then args+=(-i); fi
  # setsid: rspamd leaves our session and survives the caller; 9>&- drops our lock fd.
  (cd "$STATE" && exec setsid "$RSPAMD_BIN" "${args[@]}" </dev/null >>"$OUT" 2>&1 9>&-) &
  pid=$!
  disown "$pid" 2>/dev/null || true

  local deadline=$((SECONDS + START_WAIT_SECONDS))
  while (( SECONDS < deadline )); do
    if answers_pong; then echo "$pid" >"$PIDFILE"; return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then
      { tail -n 15 "$OUT"; [[ -f "$LOG" ]] && tail -n 15 "$LOG"; } >&2 || true
      die 1 "rspamd exited during start-up (see above, $OUT and $LOG)."
    fi
    sleep 0.2
  done
  kill -TERM "$pid" 2>/dev/null || true
  [[ -f "$LOG" ]] && tail -n 15 "$LOG" >&2
  die 1 "rspamd did not answer /ping on 127.0.0.1:$PORT within ${START_WAIT_SECONDS}s; stopped it (log: $LOG)."
}

do_stop() {
  local pid; pid="$(our_pid)"
  if [[ -n "$pid" ]]; then
    kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + STOP_WAIT_SECONDS))
    while kill -0 "$pid" 2>/dev/null && (( SECONDS < deadline )); do sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      pkill -KILL -P "$pid" 2>/dev/null || true
      kill -KILL "$pid" 2>/dev/null || true
      while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
    fi
  fi
  rm -f "$PIDFILE"
}

do_restart() { do_stop; do_start; }

# One caller at a time per state folder: parallel test JVMs and CI steps may all call start.
with_lock() {
  mkdir -p "$STATE"
  exec 9>>"$STATE/rspamd.lock"
  flock -w 300 9 || die 1 "another rspamd.sh holds $STATE/rspamd.lock for more than 300 s."
  "$@"
}

case "${1:-}" in
  start)   with_lock do_start ;;
  stop)    with_lock do_stop ;;
  restart) with_lock do_restart ;;
  status)  answers_pong || { echo "rspamd.sh: no rspamd answers /ping on 127.0.0.1:$PORT." >&2; exit 1; } ;;
  port)    echo "$PORT" ;;
  *)       die 2 "usage: $0 start|stop|restart|status|port" ;;
esac
