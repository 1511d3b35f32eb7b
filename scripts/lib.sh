# Shared by the scripts (sourced, not run). Defines functions only; each script asks for what it needs:
#   signet_use_jdk_and_maven   finds JDK 25 and Maven; exports JAVA_HOME, PATH and MAVEN_OPTS  (all scripts)
#   signet_require_moto        moto_server on PATH                     (scripts/local, scripts/test, emulator benches)
#   signet_build_if_stale      builds a runnable module when its sources changed    (scripts/local, scripts/signet)
# scripts/java-home prints the JDK the same lookup finds, for the Makefile.

SIGNET_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

signet_die() {
  echo "signet: $*" >&2
  exit 1
}

# Prints the major version of the JDK at the path given, e.g. 25 (empty if it cannot tell).
signet_java_major() {
  local home="$1" version=""
  if [ -f "$home/release" ]; then
    version="$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release")"
  fi
  if [ -z "$version" ] && [ -x "$home/bin/java" ]; then
    version="$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)"
  fi
  version="${version#1.}"
  echo "${version%%[.+-]*}"
}

# Prints the home of a JDK 25 (or newer, if it is JAVA_HOME); fails if there is none.
signet_find_jdk() {
  local candidate major
  # 1. JAVA_HOME, if it is JDK 25 or newer.
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major="$(signet_java_major "$JAVA_HOME")"
    if [ -n "$major" ] && [ "$major" -ge 25 ] 2>/dev/null; then
      echo "$JAVA_HOME"
      return 0
    fi
  fi
  # 2. Temurin 25, then any JDK 25, where Linux packages put them; 3. macOS.
  for candidate in /usr/lib/jvm/temurin-25* /usr/lib/jvm/*25* \
                   /Library/Java/JavaVirtualMachines/*25*/Contents/Home; do
    if [ -x "$candidate/bin/javac" ] && [ "$(signet_java_major "$candidate")" = "25" ]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

SIGNET_NO_JDK="Signet needs JDK 25 (e.g. Eclipse Temurin 25): set JAVA_HOME to it, or install it under /usr/lib/jvm."

signet_use_jdk_and_maven() {
  local home
  home="$(signet_find_jdk)" || signet_die "$SIGNET_NO_JDK JAVA_HOME is '${JAVA_HOME:-unset}'."
  export JAVA_HOME="$home"
  export PATH="$JAVA_HOME/bin:$PATH"

  command -v mvn >/dev/null 2>&1 \
    || signet_die "Signet builds with Maven (3.8 or newer), and 'mvn' is not on PATH: install it (e.g. apt-get install maven, brew install maven)."

  # Maven 3.8's own libraries (Guava) use sun.misc.Unsafe, which JDK 24+ warns about on every run.
  case " ${MAVEN_OPTS:-} " in
    *" --sun-misc-unsafe-memory-access="*) ;;
    *) export MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }--sun-misc-unsafe-memory-access=allow" ;;
  esac
}

# Only what runs the emulators needs moto: local mode, the integration tests, the end-to-end benchmarks.
# The ops tool and the unit tests do not.
signet_require_moto() {
  command -v moto_server >/dev/null 2>&1 \
    || signet_die "moto_server is not on PATH; it emulates DynamoDB and Secrets Manager for $1. Install it with: pip install \"moto[server]\""
}

# Runs Maven quietly but not silently: one line per module as the reactor reaches it, Maven's whole
# output only if the build fails.
#   signet_mvn_with_progress <what is being built> <Maven arguments...>
signet_mvn_with_progress() {
  local what="$1" log
  shift
  log="$(mktemp -t signet-build.XXXXXX)"
  echo "signet: building $what (mvn $*) ..." >&2
  # "[INFO] Building Signet core: domain, ... 0.1.0-SNAPSHOT   [2/9]" -> "signet:   [2/9] Signet core"
  if ! (set -o pipefail
        cd "$SIGNET_ROOT" && mvn -B -ntp -Dstyle.color=never "$@" 2>&1 | tee "$log" | awk '
          /^\[INFO\] Building .* \[[0-9]+\/[0-9]+\] *$/ {
            step = $NF; name = $0
            sub(/^\[INFO\] Building /, "", name)
            sub(/ +\[[0-9]+\/[0-9]+\] *$/, "", name)   # the step
            sub(/ +[^ ]+$/, "", name)                    # the version
            sub(/:.*/, "", name)                         # the rest of a long name
            printf "signet:   %s %s\n", step, name; fflush()
          }' >&2); then
    cat "$log" >&2
    rm -f "$log"
    signet_die "the build of $what failed (Maven's output is above)"
  fi
  rm -f "$log"
}

# Builds a runnable module (classes plus its dependencies in <module>/target/lib) only when one of the
# watched files changed since its last build, so a restart takes seconds.
#   signet_build_if_stale <module> <what it is> <watched path relative to the root>...
signet_build_if_stale() {
  local module="$1" what="$2" stamp
  shift 2
  stamp="$SIGNET_ROOT/$module/target/.signet-$module-built"
  if [ -f "$stamp" ] && [ -d "$SIGNET_ROOT/$module/target/lib" ] && [ -d "$SIGNET_ROOT/$module/target/classes" ] \
     && [ -z "$(cd "$SIGNET_ROOT" && find "$@" -newer "$stamp" -type f 2>/dev/null | head -n 1)" ]; then
    return 0
  fi
  if [ ! -f "$stamp" ]; then
    echo "signet: first build of $what: this can take about a minute; later starts rebuild only after a change." >&2
  fi
  # A dependency dropped from the pom must not linger on the classpath.
  rm -rf "$SIGNET_ROOT/$module/target/lib"
  signet_mvn_with_progress "$what" -Dmaven.test.skip=true -pl "$module" -am package
  touch "$stamp"
}
