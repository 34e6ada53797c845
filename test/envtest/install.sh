#!/usr/bin/env bash
# Builds kube-apiserver, kubectl and etcd from the Go module proxy into the directory that fabric8
# kube-api-test reads (~/.kubeapitest/k8s/<version>-linux-amd64). Skips binaries that already exist.
# kube-apiserver cannot be `go install`ed (k/k's go.mod has replace directives and requires staging modules
# at v0.0.0), so a throw-away wrapper module replaces each staging module by its published v0.X version,
# the list derived from the go.mod the proxy serves.
set -euo pipefail

K8S_VERSION=${K8S_VERSION:-1.34.4}
ETCD_VERSION=${ETCD_VERSION:-3.6.4}
OUT=${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}/k8s/$K8S_VERSION-linux-amd64
export GOTOOLCHAIN=local CGO_ENABLED=0
export GOFLAGS=-mod=mod

command -v go >/dev/null || { echo "install.sh: Go is required to build kube-apiserver (apt-get install golang or see README)" >&2; exit 1; }
mkdir -p "$OUT"

need() { [ -x "$OUT/$1" ] && "$OUT/$1" "${@:2}" >/dev/null 2>&1; }

minor=${K8S_VERSION#1.}; minor=${minor%%.*}
if need kube-apiserver --version && need kubectl version --client; then
  echo "kube-apiserver and kubectl v$K8S_VERSION present in $OUT"
else
  start=$(date +%s)
  work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
  cd "$work"
  go mod init kbuild >/dev/null 2>&1
  gomod=$(go mod download -json "k8s.io/kubernetes@v$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
  [ -f "$gomod" ] || { echo "install.sh: could not download k8s.io/kubernetes@v$K8S_VERSION go.mod" >&2; exit 1; }
  for m in $(sed -n 's#^[[:space:]]*\(k8s.io/[^ ]*\) => \./staging/.*#\1#p' "$gomod"); do
    go mod edit "-replace=$m=$m@v0.${K8S_VERSION#1.}"
  done
  godebug=$(sed -n 's/^godebug \(.*\)$/\1/p' "$gomod" | head -1)
  [ -z "$godebug" ] || go mod edit "-godebug=$godebug"
  go get "k8s.io/kubernetes/cmd/kube-apiserver@v$K8S_VERSION" "k8s.io/kubernetes/cmd/kubectl@v$K8S_VERSION"
  ld="-s -w"
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld="$ld -X $p.gitVersion=v$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor"
  done
  for cmd in kube-apiserver kubectl; do
    go build -trimpath -ldflags "$ld" -o "$OUT/$cmd" "k8s.io/kubernetes/cmd/$cmd"
  done
  echo "built kube-apiserver and kubectl v$K8S_VERSION in $(( $(date +%s) - start )) s"
fi

if need etcd-real --version; then
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
