# Shared shell helpers for scripts/test.sh, scripts/demo.sh and .ci/run (sourced, not run).

# Exports JAVA_HOME for a JDK 21+ (Keycloak and the build need it) or fails with a clear message.
use_jdk21() {
  local candidate version
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
    version=$("$candidate/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
    if [ -n "$version" ] && [ "${version%%.*}" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME="$candidate" PATH="$candidate/bin:$PATH"
      return 0
    fi
  done
  echo "error: no JDK 21 or newer found (checked \$JAVA_HOME and /usr/lib/jvm/*). Install one, e.g. Temurin 25, and set JAVA_HOME." >&2
  return 1
}

# Fails with the install hint when a command the tests need is missing.
require_command() {
  command -v "$1" >/dev/null 2>&1 || { echo "error: '$1' is required: $2" >&2; return 1; }
}

# The Debian packages the tests need. As root, installs the missing ones (a newcomer's fresh machine, CI);
# otherwise names them and fails, so nobody waits for a build that stops at the first missing tool.
TEST_DEBIAN_PACKAGES="git postgresql redis-server unzip"
ensure_debian_packages() {
  local pkg missing=""
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"
  done
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" != 0 ]; then
    echo "error: missing Debian packages:$missing (run as root to install them, or: sudo apt-get install$missing)" >&2
    return 1
  fi
  echo "installing Debian packages:$missing"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
}

# The Debian packages of the one-node cluster (test/node/install.sh, scripts/cluster.sh).
NODE_DEBIAN_PACKAGES="containerd runc containernetworking-plugins iptables iproute2 git"
