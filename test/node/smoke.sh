#!/usr/bin/env bash
# Checks the bare node of scripts/cluster.sh: a pod from a locally imported image runs under PodSecurity
# `restricted` and becomes Ready, its Service answers from this machine and (by DNS name) from another pod, and
# `down` leaves no process, mount, network namespace, link, cgroup or iptables chain behind.
# The workload image is busybox-static from Debian in a FROM-scratch image (buildah, its own storage); without
# the project's pause image it uses the same busybox as the pod sandbox.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/scripts/lib.sh"
. "$root/test/envtest/k8s-build.sh"
cache=$HOME/.cache/keycloak-gitops/node-test
ns=smoke
fail() { echo "smoke.sh: FAIL: $*" >&2; exit 1; }

ensure_debian_packages buildah
mkdir -p "$cache"
# busybox_image NAME CMD...: a tar (docker-archive) of localhost/keycloak-gitops/test-NAME:1 running CMD.
busybox_image() {
  local name=$1 tar=$cache/$1.tar b; shift
  [ ! -f "$tar" ] || return 0
  if [ ! -x "$cache/busybox/bin/busybox" ]; then
    (cd "$cache" && apt-get download -q busybox-static >/dev/null && dpkg-deb -x busybox-static_*.deb busybox)
  fi
  local bah=(buildah --root "$cache/storage" --runroot "$cache/run" --storage-driver vfs)
  b=$("${bah[@]}" from scratch)
  "${bah[@]}" copy "$b" "$cache/busybox/bin/busybox" /bin/busybox >/dev/null
  # shellcheck disable=SC2016 # expanded inside the image
  "${bah[@]}" config --user 65532:65532 --entrypoint '[]' --cmd "$(printf '"%s",' "$@" | sed 's/^/[/; s/,$/]/')" "$b"
  "${bah[@]}" commit -q "$b" "localhost/keycloak-gitops/test-$name:1" >/dev/null
  "${bah[@]}" rm "$b" >/dev/null
  "${bah[@]}" push -q "localhost/keycloak-gitops/test-$name:1" "docker-archive:$tar.tmp:localhost/keycloak-gitops/test-$name:1"
  mv "$tar.tmp" "$tar"
}
busybox_image busybox /bin/busybox sh
if [ -z "${PAUSE_IMAGE_TAR:-}" ] && [ ! -f "$HOME/.cache/keycloak-gitops/images/pause.tar" ]; then
  busybox_image pause /bin/busybox sleep 2147483647
  export PAUSE_IMAGE_TAR=$cache/pause.tar
fi

state=${KGO_NODE_STATE:-/run/keycloak-gitops-node}
forward_before=$(cat /proc/sys/net/ipv4/ip_forward)
# What of the node exists on this machine (other work on the machine may add its own links, mounts and
# namespaces meanwhile, so only the node's own are listed): its processes, mounts, bridge, the pods' veths and
# network namespaces recorded while up ($links, $netns), kubelet's cgroups and kube-proxy's/kubelet's chains.
leftovers() {
  pgrep -a -f "$state" | grep -v -e smoke.sh -e pgrep || true
  findmnt -rn -o TARGET | grep -E "^($state|$HOME/.cache/keycloak-gitops/node)/" || true
  ip -o link show kgo0 2>/dev/null || true
  for l in $links; do ip -o link show "$l" 2>/dev/null || true; done
  for n in $netns; do [ ! -e "$n" ] || echo "netns $n"; done
  ls -d /sys/fs/cgroup/*/kubepods 2>/dev/null || true
  for t in filter nat mangle; do iptables-save -t "$t" | grep -E '^:KUBE-|-j KUBE-' || true; ip6tables-save -t "$t" | grep -E '^:KUBE-|-j KUBE-' || true; done
  [ "$(cat /proc/sys/net/ipv4/ip_forward)" = "$forward_before" ] || echo "ip_forward not restored"
}
links="" netns=""
[ -z "$(leftovers)" ] || fail "remains of an earlier node exist before up: $(leftovers)"

start=$SECONDS
"$root/scripts/cluster.sh" up --node-only
echo "node up (from down) in $(( SECONDS - start )) s"
. "$state/cluster.env"
export KUBECONFIG
kubectl() { "$K8S_BIN/kubectl" "$@"; }
ctr --address "$state"/containerd/containerd.sock -n k8s.io images import "$cache/busybox.tar" >/dev/null

start=$SECONDS
"$root/scripts/cluster.sh" up --node-only >/dev/null
echo "node up (already up) in $(( SECONDS - start )) s"

kubectl create namespace "$ns"
kubectl label namespace "$ns" pod-security.kubernetes.io/enforce=restricted
# A privileged pod is refused by PodSecurity: the namespace really is restricted.
if kubectl -n "$ns" run privileged --image=localhost/keycloak-gitops/test-busybox:1 \
  --overrides='{"spec":{"containers":[{"name":"privileged","image":"localhost/keycloak-gitops/test-busybox:1","securityContext":{"privileged":true}}]}}' 2>/dev/null; then
  fail "a privileged pod was admitted"
fi
kubectl -n "$ns" apply -f - <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      securityContext: {runAsNonRoot: true, runAsUser: 65532, seccompProfile: {type: RuntimeDefault}}
      containers:
      - name: web
        image: localhost/keycloak-gitops/test-busybox:1
        imagePullPolicy: Never
        command: [/bin/busybox, sh, -c, 'mkdir -p /tmp/www && echo "hello from $HOSTNAME" > /tmp/www/index.html && exec /bin/busybox httpd -f -p 8080 -h /tmp/www']
        ports: [{containerPort: 8080}]
        readinessProbe: {httpGet: {path: /, port: 8080}, periodSeconds: 1}
        securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}
        volumeMounts: [{name: tmp, mountPath: /tmp}]
      volumes: [{name: tmp, emptyDir: {}}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  securityContext: {runAsNonRoot: true, runAsUser: 65532, seccompProfile: {type: RuntimeDefault}}
  containers:
  - name: client
    image: localhost/keycloak-gitops/test-busybox:1
    imagePullPolicy: Never
    command: [/bin/busybox, sleep, "3600"]
    securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}
EOF
start=$SECONDS
kubectl -n "$ns" rollout status deployment/web --timeout=180s
kubectl -n "$ns" wait pod/client --for=condition=Ready --timeout=120s
echo "pods Ready in $(( SECONDS - start )) s"
ip=$(kubectl -n "$ns" get service web -o jsonpath='{.spec.clusterIP}')
# kube-proxy programs a new Service within its sync period: poll until it answers, then check what it says.
from_host="" from_pod=""
for _ in $(seq 1 60); do from_host=$(curl -s --max-time 5 "http://$ip/") && break; sleep 0.5; done
echo "from this machine, http://$ip/: $from_host"
[[ $from_host == "hello from web-"* ]] || fail "the Service did not answer from this machine"
# busybox-static's wget segfaults resolving names without glibc's NSS modules in the image: nslookup (busybox's
# own resolver, asking CoreDNS) gives the address, nc fetches the page.
# shellcheck disable=SC2016 # expanded in the pod
fetch='a=$(/bin/busybox nslookup "$0" | /bin/busybox sed -n "s/^Address: //p") && printf "GET / HTTP/1.0\r\n\r\n" | /bin/busybox nc -w 5 "$a" 80 | /bin/busybox tail -1'
for _ in $(seq 1 60); do
  from_pod=$(kubectl -n "$ns" exec client -- /bin/busybox sh -c "$fetch" "web.$ns.svc.cluster.local") \
    && [ -n "$from_pod" ] && break
  sleep 0.5
done
echo "from pod client, web.$ns.svc.cluster.local:80: $from_pod"
[[ $from_pod == "hello from web-"* ]] || fail "the Service did not answer from another pod"

links=$(ip -o link show master kgo0 | sed -n 's/^[0-9]*: \([^@:]*\).*/\1/p')
netns=$("$K8S_BIN/crictl" --runtime-endpoint "unix://$state/containerd/containerd.sock" inspectp $("$K8S_BIN/crictl" --runtime-endpoint "unix://$state/containerd/containerd.sock" pods -q) 2>/dev/null | grep -o '/var/run/netns/cni-[0-9a-f-]*' | sort -u)
[ -n "$links" ] && [ -n "$netns" ] || fail "found no pod veths or network namespaces to check after down"
echo "pod veths: $(echo $links); pod network namespaces: $(echo $netns)"
start=$SECONDS
"$root/scripts/cluster.sh" down
echo "node down in $(( SECONDS - start )) s"
left=$(leftovers)
[ -z "$left" ] || fail "down left behind: $left"
echo "smoke.sh: PASS (nothing of the node left after down)"
