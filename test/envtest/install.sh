#!/usr/bin/env bash
# Builds kube-apiserver, kubectl and etcd from the Go module proxy into the directory that fabric8
# kube-api-test reads (~/.kubeapitest/k8s/<version>-linux-amd64). Skips binaries that already exist.
# The Kubernetes build recipe is shared with test/node/install.sh (k8s-build.sh).
set -euo pipefail

. "$(dirname "$0")/k8s-build.sh"
ETCD_VERSION=${ETCD_VERSION:-3.6.4}
OUT=$K8S_BIN
export GOTOOLCHAIN=local CGO_ENABLED=0
export GOFLAGS=-mod=mod

command -v go >/dev/null || { echo "install.sh: Go is required to build kube-apiserver (apt-get install golang or see README)" >&2; exit 1; }
mkdir -p "$OUT"

if k8s_binary_works kube-apiserver --version && k8s_binary_works kubectl version --client; then
  echo "kube-apiserver and kubectl v$K8S_VERSION present in $OUT"
else
  build_k8s_commands kube-apiserver kubectl
fi

if k8s_binary_works etcd-real --version; then
  echo "etcd v$ETCD_VERSION present in $OUT"
else
  start=$(date +%s)
  work=$(mktemp -d)
  (cd "$work" && go mod init ebuild >/dev/null 2>&1 \
    && go get "go.etcd.io/etcd/server/v3@v$ETCD_VERSION" \
    && go build -trimpath -ldflags "-s -w" -o "$OUT/etcd-real" go.etcd.io/etcd/server/v3)
  rm -rf "$work"
  echo "built etcd v$ETCD_VERSION in $(( $(date +%s) - start )) s"
fi

# kube-api-test starts etcd listening on 0.0.0.0; this wrapper keeps it on loopback.
cat > "$OUT/etcd" <<'WRAP'
#!/bin/sh
# Rewrites 0.0.0.0 listen addresses to 127.0.0.1 so etcd never binds beyond loopback.
dir=$(dirname "$0")
for a in "$@"; do
  shift
  set -- "$@" "$(printf '%s' "$a" | sed 's#0\.0\.0\.0#127.0.0.1#g')"
done
exec "$dir/etcd-real" "$@"
WRAP
chmod +x "$OUT/etcd"
echo "binaries ready in $OUT"
