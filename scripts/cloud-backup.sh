#!/usr/bin/env bash
# Backs up a cloud node's home and database, and restores one into a new home
# (docs/operations.md "Backup, restore and upgrade of the cloud").
#
#   scripts/cloud-backup.sh backup HOME ARCHIVE.tar.gz
#   scripts/cloud-backup.sh restore ARCHIVE.tar.gz NEWHOME [--database JDBC_URL]
#
# What is kept: etc/ (configuration), tls/ (the node's key store, its password and certificate),
# keys/ (the operator's public key), editions/, lists/, rules/ and the database: with the
# embedded H2 (the default) the files of state/cloud/, with PostgreSQL (jdbcUrl in
# etc/org.omamori.store.cfg) a pg_dump custom-format dump, taken while the node runs.
# Not kept: the bundle cache, native libraries, logs, port files: the node makes them again.
#
# backup with H2 refuses while the node runs (state/cloud.pid names a live JVM): stop it first,
# the files are consistent only then. PostgreSQL is dumped consistently while it runs; its
# connection comes from the jdbcUrl (host, port, database) and PGUSER/PGPASSWORD from the
# environment (never the command line).
# restore unpacks into NEWHOME (missing or empty) and, for PostgreSQL, restores the dump into the
# database of the archive's jdbcUrl, or of --database (which is then written into the new home's
# etc/org.omamori.store.cfg); that database must exist and be empty.
#
# Exit codes: 0 ok; 1 failed (the reason is printed); 2 usage; 3 the H2 node is running.
set -euo pipefail

die() { local code="$1"; shift; printf 'cloud-backup.sh: %s\n' "$@" >&2; exit "$code"; }

KEPT=(etc tls keys editions lists rules)
WORK=""
trap '[[ -n "$WORK" ]] && rm -rf "$WORK"' EXIT
STORE_CFG=etc/org.omamori.store.cfg

# The jdbcUrl of a home, or nothing (H2 by default).
jdbc_url() {
  [[ -f "$1/$STORE_CFG" ]] || return 0
  sed -n 's/^[[:space:]]*jdbcUrl[[:space:]]*[=:][[:space:]]*\(.*[^[:space:]]\)[[:space:]]*$/\1/p' "$1/$STORE_CFG" | tail -n 1
}

# host port database from jdbc:postgresql://host[:port]/database[?...]
pg_target() {
  [[ "$1" =~ ^jdbc:postgresql://([^/:?]+)(:([0-9]+))?/([^?]+) ]] || die 1 "cannot read host and database from the jdbcUrl '$1'."
  echo "${BASH_REMATCH[1]} ${BASH_REMATCH[3]:-5432} ${BASH_REMATCH[4]}"
}

node_running() {
  local pid
  pid="$(tr -dc '0-9' 2>/dev/null <"$1/state/cloud.pid" || true)"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null
}

do_backup() {
  local home="$1" archive="$2" url work
  [[ -d "$home/etc" ]] || die 1 "$home is not a cloud home (no etc/)."
  url="$(jdbc_url "$home")"
  work="$(mktemp -d)"; WORK="$work"
  mkdir -p "$work/home"
  local d
  for d in "${KEPT[@]}"; do
    [[ -e "$home/$d" ]] && cp -a "$home/$d" "$work/home/"
  done
  if [[ "$url" == jdbc:postgresql:* ]]; then
    local host port db
    read -r host port db <<<"$(pg_target "$url")"
    pg_dump -h "$host" -p "$port" -Fc -f "$work/database.pgdump" "$db" || die 1 "pg_dump of $db on $host:$port failed."
    echo "postgresql $db" >"$work/DATABASE"
  else
    [[ -n "$url" && "$url" != *'${omamori.home}/state/cloud/'* ]] && die 1 "the jdbcUrl '$url' is H2 outside the home; back it up by hand."
    node_running "$home" && die 3 "the cloud node of $home is running (state/cloud.pid); stop it first: the H2 files are consistent only then."
    [[ -d "$home/state/cloud" ]] || die 1 "$home has no state/cloud (no database yet)."
    mkdir -p "$work/home/state"
    cp -a "$home/state/cloud" "$work/home/state/"
    rm -f "$work/home/state/cloud/"*.lock.db "$work/home/state/cloud/"*.trace.db
    echo "h2" >"$work/DATABASE"
  fi
  date -u +%Y-%m-%dT%H:%M:%SZ >"$work/TAKEN"
  (cd "$work" && tar -czf - DATABASE TAKEN home $( [[ -f database.pgdump ]] && echo database.pgdump )) >"$archive.tmp"
  mv -f "$archive.tmp" "$archive"
  chmod 600 "$archive" # the key store and its password are inside
  echo "cloud-backup.sh: $home -> $archive ($(cat "$work/DATABASE"), $(du -h "$archive" | cut -f1))"
}

do_restore() {
  local archive="$1" home="$2" database="${3:-}" work
  [[ -f "$archive" ]] || die 1 "no archive $archive."
  if [[ -e "$home" ]] && [[ -n "$(ls -A "$home")" ]]; then die 1 "$home is not empty; restore into a new home."; fi
  work="$(mktemp -d)"; WORK="$work"
  tar -xzf "$archive" -C "$work"
  [[ -f "$work/DATABASE" && -d "$work/home" ]] || die 1 "$archive is not a cloud backup (no DATABASE, home/)."
  mkdir -p "$home"
  cp -a "$work/home/." "$home/"
  if [[ "$(cat "$work/DATABASE")" == postgresql* ]]; then
    local url="$database"
    if [[ -n "$url" ]]; then
      grep -v '^[[:space:]]*jdbcUrl[[:space:]]*[=:]' "$home/$STORE_CFG" >"$home/$STORE_CFG.tmp" || true
      echo "jdbcUrl = $url" >>"$home/$STORE_CFG.tmp"
      mv -f "$home/$STORE_CFG.tmp" "$home/$STORE_CFG"
    else
      url="$(jdbc_url "$home")"
    fi
    local host port db
    read -r host port db <<<"$(pg_target "$url")"
    pg_restore -h "$host" -p "$port" -d "$db" --no-owner --exit-on-error "$work/database.pgdump" \
      || die 1 "pg_restore into $db on $host:$port failed (it must exist and be empty)."
  elif [[ -n "$database" ]]; then
    die 2 "--database is for a PostgreSQL backup; this one is H2 (restored into $home/state/cloud)."
  fi
  echo "cloud-backup.sh: $archive (taken $(cat "$work/TAKEN")) -> $home; start the node there."
}

case "${1:-}" in
  backup) [[ $# -eq 3 ]] || die 2 "usage: $0 backup HOME ARCHIVE.tar.gz"; do_backup "$2" "$3" ;;
  restore)
    [[ $# -eq 3 || ( $# -eq 5 && "$4" == --database ) ]] || die 2 "usage: $0 restore ARCHIVE.tar.gz NEWHOME [--database JDBC_URL]"
    do_restore "$2" "$3" "${5:-}" ;;
  *) die 2 "usage: $0 backup HOME ARCHIVE.tar.gz | restore ARCHIVE.tar.gz NEWHOME [--database JDBC_URL]" ;;
esac
