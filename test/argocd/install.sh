#!/usr/bin/env bash
# Builds Argo CD from the Go module proxy (no container registry is reachable, and Debian has no Argo CD) into a
# cache dir that CI keeps: one binary (test/argocd/cmd/main.go) with the components the tests run, picked by the
# argv[0] names linked beside it, and copies the manifests the tests install from the same module (CRDs,
# argocd-cm, argocd-rbac-cm, argocd-secret). Skips the build when the pinned version and recipe are already
# there. Usage: test/argocd/install.sh
set -euo pipefail

ARGOCD_VERSION="${ARGOCD_VERSION:-v3.5.8}"
# argo-cd replaces gitops-engine by its in-repo ./gitops-engine, which a module build cannot see; this is the
# only version of that module the proxy serves, and it builds with v3.5.8.
GITOPS_ENGINE_VERSION="${GITOPS_ENGINE_VERSION:-v0.0.0-20260914071520-c9c369efcc5b}"
BIN_DIR="${KEYCLOAK_GITOPS_BIN:-$HOME/.cache/keycloak-gitops/bin}"
MANIFESTS_DIR="${ARGOCD_MANIFESTS:-$HOME/.cache/keycloak-gitops/argocd-manifests}"
ARGOCD="$BIN_DIR/argocd"
# Bumped when the build recipe changes, so a cached binary built the old way is rebuilt.
RECIPE="4-test-components $(sha256sum "$(dirname "$0")/cmd/main.go" | cut -c1-12)"
STAMP="$BIN_DIR/argocd.recipe"
# The components the tests start (cmd/main.go picks one from the binary's name) and argocd-health, what
# `argocd admin settings resource-overrides health` does. The repo server also runs the two scripts Argo CD's image
# puts beside it (git-verify-wrapper.sh on every manifest generation).
COMPONENTS=(argocd-application-controller argocd-repo-server argocd-git-ask-pass argocd-health)

link_components() {
  for name in "${COMPONENTS[@]}"; do ln -sfn argocd "$BIN_DIR/$name"; done
}

if [[ -x "$ARGOCD" ]] && [[ -f "$MANIFESTS_DIR/application-crd.yaml" ]] \
    && [[ "$(cat "$STAMP" 2>/dev/null)" == "$ARGOCD_VERSION $GITOPS_ENGINE_VERSION $RECIPE" ]]; then
  link_components
  echo "argocd $ARGOCD_VERSION already in $ARGOCD"
  exit 0
fi

command -v go >/dev/null || { echo "test/argocd/install.sh: Go is required to build Argo CD" >&2; exit 1; }
main_go="$(cd "$(dirname "$0")" && pwd)/cmd/main.go"
mkdir -p "$BIN_DIR" "$MANIFESTS_DIR"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"

export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod
start=$(date +%s)
# argo-cd's go.mod has replace directives (ignored for a dependency) and a local gitops-engine, so
# `go install pkg@version` refuses it: a throw-away wrapper module requires it and repeats its replaces.
go mod init argocdbuild >/dev/null 2>&1
eval "$(go mod download -json "github.com/argoproj/argo-cd/v3@$ARGOCD_VERSION" \
  | sed -n 's/^[[:space:]]*"\(GoMod\|Dir\)": \("[^"]*"\),*$/\1=\2/p')"
[[ -f "${GoMod:-}" && -d "${Dir:-}" ]] || { echo "test/argocd/install.sh: could not download argo-cd $ARGOCD_VERSION" >&2; exit 1; }
go mod edit -require="github.com/argoproj/argo-cd/v3@$ARGOCD_VERSION"
# Each "old => new version" line of argo-cd's replace directives (local ./ paths have no version and are skipped).
awk '/=>/ && $4 ~ /^v/ { print $1 "=" $3 "@" $4 }' "$GoMod" | while read -r rep; do
  go mod edit -replace="$rep"
done
go mod edit -replace="github.com/argoproj/argo-cd/gitops-engine=github.com/argoproj/argo-cd/gitops-engine@$GITOPS_ENGINE_VERSION"

# The application controller binds its metrics/readiness listener to 0.0.0.0 with no flag to change it
# (controller/appcontroller.go). The build uses a copy of the module (the go command refuses overlays of files in
# the module cache) where that one line reads the address from an environment variable named like the repo
# server's, keeping 0.0.0.0 as the default.
cp -r "$Dir" "$work/argo-cd"
chmod -R u+w "$work/argo-cd"
controller_go="$work/argo-cd/controller/appcontroller.go"
hardwired='metricsAddr := fmt.Sprintf("0.0.0.0:%d", metricsPort)'
grep -qF "$hardwired" "$controller_go" || { echo "test/argocd/install.sh: $controller_go no longer has: $hardwired" >&2; exit 1; }
sed -i 's/metricsAddr := fmt.Sprintf("0.0.0.0:%d", metricsPort)/metricsAddr := fmt.Sprintf("%s:%d", env.StringFromEnv("ARGOCD_APPLICATION_CONTROLLER_METRICS_LISTEN_ADDRESS", "0.0.0.0"), metricsPort)/' \
  "$controller_go"
go mod edit -replace="github.com/argoproj/argo-cd/v3=./argo-cd"

client_go=$(awk '$1 == "k8s.io/client-go" && $2 == "=>" { print $4 }' "$GoMod")
# The version variables argo-cd's Makefile sets; the proxy serves no commit hash, so `argocd version` reports
# the tag with "+unknown" for the commit.
pkg=github.com/argoproj/argo-cd/v3/common
ldflags="-s -w -X $pkg.version=${ARGOCD_VERSION#v} -X $pkg.gitTag=$ARGOCD_VERSION -X $pkg.gitTreeState=clean"
ldflags="$ldflags -X $pkg.kubectlVersion=$client_go -X $pkg.buildDate=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
# Not argo-cd's cmd (every component, the CLI and their cloud SDKs: 916 s cold on 2 cores) but ours.
cp "$main_go" "$work/main.go"
go build -trimpath -ldflags "$ldflags" -o "$work/argocd" .
mv "$work/argocd" "$ARGOCD"
link_components
install -m 0755 "$Dir/hack/git-verify-wrapper.sh" "$Dir/hack/gpg-wrapper.sh" "$BIN_DIR/"
cp "$Dir/manifests/crds/application-crd.yaml" "$Dir/manifests/crds/appproject-crd.yaml" \
  "$Dir/manifests/base/config/argocd-cm.yaml" "$Dir/manifests/base/config/argocd-rbac-cm.yaml" \
  "$Dir/manifests/base/config/argocd-secret.yaml" "$MANIFESTS_DIR/"
chmod u+w "$MANIFESTS_DIR"/*.yaml
echo "$ARGOCD_VERSION $GITOPS_ENGINE_VERSION $RECIPE" > "$STAMP"
echo "built Argo CD $ARGOCD_VERSION components into $ARGOCD ($(du -m "$ARGOCD" | cut -f1) MB) in $(( $(date +%s) - start ))s"
