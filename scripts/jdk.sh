# Sourced by ./omamori and .ci/run: sets JAVA_HOME to a JDK >= 21 found on this machine.
# Order: $JAVA_HOME, the default java, then the newest under /usr/lib/jvm.

omamori_java_major() {
  # A JDK's release file names its version; reading it is much faster than starting a JVM.
  if [[ -f "$1/release" ]]; then
    sed -n 's/^JAVA_VERSION="\(1\.\)\{0,1\}\([0-9]*\).*/\2/p' "$1/release" | head -1
  else
    "$1/bin/java" -XshowSettings:properties -version 2>&1 \
      | awk -F'= ' '/java.specification.version/ {split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit}'
  fi
}

omamori_pick_jdk() {
  local candidates=() home major best="" best_major=0
  [[ -n "${JAVA_HOME:-}" ]] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for home in /usr/lib/jvm/*; do candidates+=("$home"); done
  for home in "${candidates[@]}"; do
    [[ -x "$home/bin/java" && -x "$home/bin/javac" ]] || continue
    major="$(omamori_java_major "$home")"
    [[ "$major" =~ ^[0-9]+$ ]] || continue
    if (( major >= 21 )); then
      # The first acceptable candidate in order wins, except that /usr/lib/jvm picks the newest.
      if [[ -z "$best" ]]; then best="$home"; best_major="$major"
      elif [[ "$home" == /usr/lib/jvm/* && "$best" == /usr/lib/jvm/* ]] && (( major > best_major )); then
        best="$home"; best_major="$major"
      fi
    fi
  done
  if [[ -z "$best" ]]; then
    echo "omamori: needs a JDK 21 or newer (found none in JAVA_HOME, PATH or /usr/lib/jvm)." >&2
    echo "omamori: install one (for example Temurin 21 or 25) and set JAVA_HOME to it." >&2
    return 1
  fi
  export JAVA_HOME="$best"
  export PATH="$JAVA_HOME/bin:$PATH"
  # Maven's Guice calls sun.misc.Unsafe, and JDK 24+ warns of it in four lines on every build a user
  # sees (./omamori demo's first run); the flag that allows it quietly exists from JDK 23 on.
  if (( best_major >= 23 )) && [[ "${MAVEN_OPTS:-}" != *sun-misc-unsafe-memory-access* ]]; then
    export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
  fi
}
