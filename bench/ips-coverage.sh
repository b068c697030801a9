#!/usr/bin/env bash
# Coverage of a Suricata rule set (e.g. an ET Open snapshot) by the IPS engine, as the appliance
# loads it: loaded / skipped by keyword / failed, the top skipped keywords, failures grouped by
# reason, and what compiling the whole loaded set costs (time, Hyperscan database size).
#   bench/ips-coverage.sh [--build] [--top N] RULES_DIR_OR_FILE...
# Builds engines/ips-hyperscan in this reactor (offline, tests skipped) when asked or when its jar
# is missing, then runs bench/ips/IpsCoverage.java on the reactor's jars. Never run in CI.
# Rule sets are not part of the repository: give the folder of a snapshot you have.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../scripts/jdk.sh
source "$ROOT/scripts/jdk.sh" >/dev/null
omamori_pick_jdk >/dev/null
build=0
if [[ "${1:-}" == "--build" ]]; then build=1; shift; fi
if [[ $# -eq 0 ]]; then
  echo "usage: bench/ips-coverage.sh [--build] [--top N] RULES_DIR_OR_FILE..." >&2
  exit 2
fi
ENGINE_JAR="$ROOT/engines/ips-hyperscan/target/org.omamori.engine.ips-0.1.0-SNAPSHOT.jar"
if [[ $build == 1 || ! -f "$ENGINE_JAR" ]]; then
  "$ROOT/mvnw" -B -o -q -f "$ROOT/pom.xml" -pl engines/ips-hyperscan -am package -DskipTests -Djazzer.skip >&2
fi
CP_FILE="$ROOT/engines/ips-hyperscan/target/coverage-classpath.txt"
if [[ ! -f "$CP_FILE" || "$ROOT/engines/ips-hyperscan/pom.xml" -nt "$CP_FILE" ]]; then
  "$ROOT/mvnw" -B -o -q -f "$ROOT/pom.xml" -pl engines/ips-hyperscan dependency:build-classpath \
    -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=compile >&2
fi
# The project's own modules come from this reactor's target folders, never from ~/.m2.
cp="$ENGINE_JAR"
IFS=: read -r -a jars < "$CP_FILE" || true
for jar in "${jars[@]}"; do
  name="$(basename "$jar")"
  if [[ "$name" == org.omamori.* ]]; then
    local_jar="$(find "$ROOT/bundles" "$ROOT/engines" -path "*/target/$name" -print -quit)"
    [[ -n "$local_jar" ]] || { echo "ips-coverage: $name is not built in this reactor (use --build)" >&2; exit 2; }
    jar="$local_jar"
  fi
  cp="$cp:$jar"
done
exec "$JAVA_HOME/bin/java" -Xmx2g -cp "$cp" "$ROOT/bench/ips/IpsCoverage.java" "$@"
