#!/usr/bin/env bash
# Everything scripts/cluster.sh needs for a one-node cluster: the control plane of test/envtest/install.sh;
# kubelet, kube-proxy, kube-controller-manager and kube-scheduler built with the same recipe into the same
# directory; CoreDNS (Service names for realm-sync, PostgreSQL and Keycloak discovery) and crictl (down
# removes pods through the CRI so the CNI plugin tears their network down) from the Go module proxy (CoreDNS
# with the plugins cluster.sh uses, test/node/coredns);
# containerd, runc, the CNI plugins, iptables and iproute2 from Debian.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/scripts/lib.sh"
. "$root/test/envtest/k8s-build.sh"
CRICTL_VERSION=${CRICTL_VERSION:-1.34.0}

ensure_debian_packages $NODE_DEBIAN_PACKAGES
"$root/test/envtest/install.sh"

missing=()
for cmd in kubelet kube-proxy kube-controller-manager kube-scheduler; do
  k8s_binary_works "$cmd" --version || missing+=("$cmd")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "kubelet, kube-proxy, kube-controller-manager and kube-scheduler v$K8S_VERSION present in $K8S_BIN"
else
  build_k8s_commands "${missing[@]}"
fi

# go_install NAME MODULE/PATH@VERSION: modules without replace directives install directly; a stamp file
# beside the binary names what it was built from, so a version change rebuilds it.
go_install() {
  local stamp="$K8S_BIN/.$1.stamp" start
  if [ -x "$K8S_BIN/$1" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$2" ]; then
    echo "$1 ${2##*@} present in $K8S_BIN"
    return
  fi
  start=$(date +%s)
  GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS= GOBIN="$K8S_BIN" go install -trimpath -ldflags "-s -w" "$2"
  echo "$2" > "$stamp"
  echo "built $1 ${2##*@} in $(( $(date +%s) - start )) s"
}
go_install crictl "sigs.k8s.io/cri-tools/cmd/crictl@v$CRICTL_VERSION"

# CoreDNS from test/node/coredns: only the plugins of cluster.sh's Corefile, pinned by its go.sum. The default
# build compiles every cloud provider's SDK besides (416 s on 2 cores; this one 75 s).
coredns_inputs=$(cat "$root"/test/node/coredns/{go.mod,go.sum,main.go} | sha256sum | cut -c1-16)
if [ -x "$K8S_BIN/coredns" ] && [ "$(cat "$K8S_BIN/.coredns.stamp" 2>/dev/null)" = "$coredns_inputs" ]; then
  echo "coredns present in $K8S_BIN"
else
  start=$(date +%s)
  (cd "$root/test/node/coredns" && GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS= go build -trimpath -ldflags "-s -w" \
    -o "$K8S_BIN/coredns" .)
  echo "$coredns_inputs" > "$K8S_BIN/.coredns.stamp"
  echo "built coredns ($(sed -n 's/^require github.com\/coredns\/coredns //p' "$root/test/node/coredns/go.mod")) in $(( $(date +%s) - start )) s"
fi
