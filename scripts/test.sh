#!/usr/bin/env bash
# Runs every test: unit tests (*Test) and integration tests on real servers (*IT): kube-apiserver + etcd built
# from the Go module proxy, the Keycloak dist from Maven Central, PostgreSQL, Git, Helm and Argo CD.
# Prerequisites: a JDK 21+ and Go; run as root it installs the Debian packages it needs (git, postgresql,
# redis-server, unzip), otherwise it names the missing ones.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
use_jdk21
ensure_debian_packages $TEST_DEBIAN_PACKAGES
require_command go "the Kubernetes test binaries, Helm and Argo CD are built from the Go module proxy"
require_command git "tests drive real Git repositories"
require_command redis-server "the Argo CD test keeps Argo CD's cache in Redis (apt-get install redis-server)"
require_command pg_ctlcluster "the production-mode Keycloak test needs PostgreSQL (apt-get install postgresql)"

test/envtest/install.sh
test/chart/install-helm.sh
test/argocd/install.sh
# The one-node cluster of test/node (kubelet, kube-proxy, controller-manager, scheduler, CoreDNS; containerd, runc
# and CNI plugins from Debian); its ITs build the images with scripts/build-images.sh and run scripts/cluster.sh.
test/node/install.sh
./mvnw -B verify "$@"
