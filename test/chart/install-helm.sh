#!/usr/bin/env bash
# Builds Helm 3 from the Go module proxy (Helm is not packaged in Debian) into a cache dir that CI keeps.
# Skips the build when the pinned version is already there. Usage: test/chart/install-helm.sh
set -euo pipefail

HELM_VERSION="${HELM_VERSION:-v3.22.0}"
BIN_DIR="${KEYCLOAK_GITOPS_BIN:-$HOME/.cache/keycloak-gitops/bin}"
HELM="$BIN_DIR/helm"
# Bumped when the build recipe changes, so a cached binary built the old way is rebuilt.
RECIPE="2-k8s-version"
STAMP="$BIN_DIR/helm.recipe"

if [[ -x "$HELM" ]] && [[ "$("$HELM" version --template '{{.Version}}' 2>/dev/null)" == "$HELM_VERSION" ]] \
    && [[ "$(cat "$STAMP" 2>/dev/null)" == "$HELM_VERSION $RECIPE" ]]; then
  echo "helm $HELM_VERSION already in $HELM"
  exit 0
fi

command -v go >/dev/null || { echo "install-helm.sh: Go is required to build helm" >&2; exit 1; }
mkdir -p "$BIN_DIR"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# helm's go.mod has no replace directives, so `go install pkg@version` works; GOTOOLCHAIN=local keeps the
# build on the installed Go instead of downloading another toolchain.
export GOTOOLCHAIN=local CGO_ENABLED=0 GOBIN="$work"
start=$(date +%s)
# Helm's Makefile derives its default Kubernetes version (what `helm template` checks kubeVersion against)
# from the client-go it is built with; without these flags it falls back to v1.20.0 and charts that require a
# newer Kubernetes fail to render unless --kube-version is given.
gomod=$(go mod download -json "helm.sh/helm/v3@$HELM_VERSION" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",*$/\1/p')
client_go=$(awk '$1 == "k8s.io/client-go" { print $2 }' "$gomod")
[[ "$client_go" =~ ^v0\.([0-9]+)\. ]] || { echo "install-helm.sh: cannot read k8s.io/client-go's version from $gomod" >&2; exit 1; }
k8s_major=1 k8s_minor=${BASH_REMATCH[1]}
ldflags="-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
for pkg in helm.sh/helm/v3/pkg/lint/rules helm.sh/helm/v3/pkg/chartutil; do
  ldflags="$ldflags -X $pkg.k8sVersionMajor=$k8s_major -X $pkg.k8sVersionMinor=$k8s_minor"
done
go install -trimpath -ldflags "$ldflags" "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
mv "$work/helm" "$HELM"
echo "$HELM_VERSION $RECIPE" > "$STAMP"
echo "built helm $("$HELM" version --short) (default Kubernetes v$k8s_major.$k8s_minor) into $HELM in $(( $(date +%s) - start ))s"
