#!/usr/bin/env bash
# Runs every test: unit tests (*Test) and integration tests on real servers (*IT): kube-apiserver + etcd built
# from the Go module proxy, the Keycloak dist from Maven Central, PostgreSQL, Git, Helm and Lua.
# Prerequisites: a JDK 21+ and Go; run as root it installs the Debian packages it needs (git, postgresql, lua5.1,
# unzip), otherwise it names the missing ones.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
use_jdk21
ensure_debian_packages $TEST_DEBIAN_PACKAGES
require_command go "the Kubernetes test binaries and Helm are built from the Go module proxy"
require_command git "tests drive real Git repositories"
require_command lua5.1 "the Argo CD health checks are tested with Lua 5.1 (apt-get install lua5.1)"
require_command pg_ctlcluster "the production-mode Keycloak test needs PostgreSQL (apt-get install postgresql)"

test/envtest/install.sh
test/chart/install-helm.sh
./mvnw -B verify "$@"
