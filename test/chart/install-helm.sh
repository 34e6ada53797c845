#!/usr/bin/env bash
# Builds Helm 3 from the Go module proxy (Helm is not packaged in Debian) into a cache dir that CI keeps.
# Skips the build when the pinned version is already there. Usage: test/chart/install-helm.sh
set -euo pipefail

HELM_VERSION="${HELM_VERSION:-v3.22.0}"
BIN_DIR="${KEYCLOAK_GITOPS_BIN:-$HOME/.cache/keycloak-gitops/bin}"
HELM="$BIN_DIR/helm"

if [[ -x "$HELM" ]] && [[ "$("$HELM" version --template '{{.Version}}' 2>/dev/null)" == "$HELM_VERSION" ]]; then
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
go install -trimpath \
  -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION -X helm.sh/helm/v3/internal/version.gitTreeState=clean" \
  "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
mv "$work/helm" "$HELM"
echo "built helm $("$HELM" version --short) into $HELM in $(( $(date +%s) - start ))s"
