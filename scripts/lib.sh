# Shared by scripts/local and scripts/test (sourced, not run): finds JDK 25, Maven and moto_server,
# and exports JAVA_HOME, PATH and MAVEN_OPTS for them.

signet_die() {
  echo "signet: $*" >&2
  exit 1
}

# Prints the major version of the java launcher given, e.g. 25 (empty if it cannot tell).
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

SIGNET_JAVA_HOME="$(signet_find_jdk)" || signet_die "Signet needs JDK 25 (e.g. Eclipse Temurin 25): set JAVA_HOME to it, or install it under /usr/lib/jvm. JAVA_HOME is '${JAVA_HOME:-unset}'."
export JAVA_HOME="$SIGNET_JAVA_HOME"
export PATH="$JAVA_HOME/bin:$PATH"

command -v mvn >/dev/null 2>&1 \
  || signet_die "Signet builds with Maven (3.8 or newer), and 'mvn' is not on PATH: install it (e.g. apt-get install maven, brew install maven)."

command -v moto_server >/dev/null 2>&1 \
  || signet_die "moto_server is not on PATH: Signet's local mode and tests use moto for DynamoDB and Secrets Manager. Install it with: pip install \"moto[server]\""

# Maven 3.8's own libraries (Guava) use sun.misc.Unsafe, which JDK 24+ warns about on every run.
case " ${MAVEN_OPTS:-} " in
  *" --sun-misc-unsafe-memory-access="*) ;;
  *) export MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }--sun-misc-unsafe-memory-access=allow" ;;
esac
