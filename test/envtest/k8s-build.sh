# The recipe that builds Kubernetes commands from the Go module proxy (sourced by test/envtest/install.sh and
# test/node/install.sh, not run). k8s.io/kubernetes cannot be `go install`ed (its go.mod has replace directives
# and requires staging modules at v0.0.0), so a throw-away wrapper module replaces each staging module by its
# published v0.X version, the list derived from the go.mod the proxy serves.

K8S_VERSION=${K8S_VERSION:-1.34.4}
K8S_BIN=${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}/k8s/$K8S_VERSION-linux-amd64

# True when $K8S_BIN/<name> exists and runs with the given arguments (e.g. --version).
k8s_binary_works() { [ -x "$K8S_BIN/$1" ] && "$K8S_BIN/$1" "${@:2}" >/dev/null 2>&1; }

# build_k8s_commands CMD...: builds k8s.io/kubernetes/cmd/<CMD> v$K8S_VERSION into $K8S_BIN (static, stripped,
# with the version stamped in as the release build does).
build_k8s_commands() {
  command -v go >/dev/null || { echo "error: Go is required to build $* from k8s.io/kubernetes (apt-get install golang or see README)" >&2; return 1; }
  local start work gomod m godebug ld p cmd minor pkgs=()
  start=$(date +%s)
  minor=${K8S_VERSION#1.}; minor=${minor%%.*}
  mkdir -p "$K8S_BIN"
  work=$(mktemp -d)
  (
    set -euo pipefail
    export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod
    cd "$work"
    go mod init kbuild >/dev/null 2>&1
    gomod=$(go mod download -json "k8s.io/kubernetes@v$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
    [ -f "$gomod" ] || { echo "error: could not download k8s.io/kubernetes@v$K8S_VERSION go.mod" >&2; exit 1; }
    for m in $(sed -n 's#^[[:space:]]*\(k8s.io/[^ ]*\) => \./staging/.*#\1#p' "$gomod"); do
      go mod edit "-replace=$m=$m@v0.${K8S_VERSION#1.}"
    done
    godebug=$(sed -n 's/^godebug \(.*\)$/\1/p' "$gomod" | head -1)
    [ -z "$godebug" ] || go mod edit "-godebug=$godebug"
    for cmd in "$@"; do pkgs+=("k8s.io/kubernetes/cmd/$cmd@v$K8S_VERSION"); done
    go get "${pkgs[@]}"
    ld="-s -w"
    for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
      ld="$ld -X $p.gitVersion=v$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor"
    done
    for cmd in "$@"; do
      go build -trimpath -ldflags "$ld" -o "$K8S_BIN/$cmd" "k8s.io/kubernetes/cmd/$cmd"
    done
  ) || { rm -rf "$work"; return 1; }
  rm -rf "$work"
  echo "built $* v$K8S_VERSION in $(( $(date +%s) - start )) s"
}
