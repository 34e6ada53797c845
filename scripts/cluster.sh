#!/usr/bin/env bash
# A one-node Kubernetes cluster on this machine, from binaries built here (test/node/install.sh) and Debian's
# containerd, runc and CNI plugins.
#
#   scripts/cluster.sh up [--node-only]   start (or, when already up, check) the node, then (without
#                                         --node-only) the whole system: the project's images, the chart,
#                                         PostgreSQL, the example Keycloak CR and a Git repository of
#                                         examples/realms that realm-sync watches; waits until the CR is Ready
#                                         and the realms are served; prints KUBECONFIG=... and Keycloak: <url>
#   scripts/cluster.sh down               stop every process and remove every mount, netns, veth, bridge,
#                                         cgroup and iptables chain that up created
#   scripts/cluster.sh status             exit 0 when the node is up and Ready
#
# up writes $KGO_NODE_STATE/cluster.env (default /run/keycloak-gitops-node/cluster.env), lines KEY=value:
# KUBECONFIG, NODE_IP and (without --node-only) KEYCLOAK_URL. It is idempotent and returns within seconds when
# everything is already up, so a test run can call it once at its start.
#
# Addresses: every server binds 127.0.0.1 or the node bridge kgo0 (10.244.0.1, pods 10.244.0.0/24); Services
# are 10.96.0.0/24, reachable from this machine and from pods through kube-proxy's iptables rules; CoreDNS
# answers cluster.local on 10.244.0.1:53. Images come from tar files imported with `ctr images import`; the pod
# sandbox image is $PAUSE_IMAGE_TAR (default ~/.cache/keycloak-gitops/images/pause.tar).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/lib.sh"
. "$root/test/envtest/k8s-build.sh"

STATE=${KGO_NODE_STATE:-/run/keycloak-gitops-node}
# containerd's content and snapshots survive down, so a warm up does not import and unpack images again.
CONTAINERD_ROOT=${KGO_NODE_CONTAINERD_ROOT:-$HOME/.cache/keycloak-gitops/node/containerd}
PAUSE_IMAGE_TAR=${PAUSE_IMAGE_TAR:-$HOME/.cache/keycloak-gitops/images/pause.tar}
NODE_NAME=kgo-node
BRIDGE=kgo0
NODE_IP=10.244.0.1
POD_CIDR=10.244.0.0/24
SERVICE_CIDR=10.96.0.0/24
KUBERNETES_SERVICE_IP=10.96.0.1
SANDBOX_IMAGE=localhost/keycloak-gitops/pause:node
ETCD_PORT=23790
APISERVER=https://$NODE_IP:6443
CONTAINERD_SOCK=$STATE/containerd/containerd.sock
export KUBECONFIG=$STATE/kubeconfig

log() { echo "cluster.sh: $*" >&2; }
die() { log "error: $*"; exit 1; }
kubectl() { "$K8S_BIN/kubectl" "$@"; }
ctr_k8s() { ctr --address "$CONTAINERD_SOCK" -n k8s.io "$@"; }
crictl_node() { "$K8S_BIN/crictl" --runtime-endpoint "unix://$CONTAINERD_SOCK" --timeout 30s "$@"; }

# start NAME CMD...: runs CMD in its own session, logging to $STATE/logs/NAME.log; its pid goes to
# $STATE/pids/NAME (written by the process itself, so it is the server's pid, not a wrapper's).
start() {
  local name=$1; shift
  setsid sh -c 'echo $$ > "$0"; exec "$@"' "$STATE/pids/$name" "$@" > "$STATE/logs/$name.log" 2>&1 < /dev/null &
}

# wait_for WHAT SECONDS CMD...: retries CMD every half second; on timeout names WHAT and the log to read.
wait_for() {
  local what=$1 deadline=$(( $(date +%s) + $2 )); shift 2
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || die "$what did not come up in time (logs: $STATE/logs/)"
    sleep 0.5
  done
}

# cert NAME CN [O] [SAN]: a client/server certificate signed by the cluster CA.
cert() {
  local name=$1 cn=$2 org=${3:-} san=${4:-} subj ext=$STATE/pki/$1.ext
  subj="/CN=$cn"; [ -z "$org" ] || subj="/O=$org$subj"
  printf 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\n' > "$ext"
  [ -z "$san" ] || echo "subjectAltName=$san" >> "$ext"
  openssl req -newkey rsa:2048 -nodes -keyout "$STATE/pki/$name.key" -subj "$subj" -out "$STATE/pki/$name.csr" 2>/dev/null
  openssl x509 -req -in "$STATE/pki/$name.csr" -CA "$STATE/pki/ca.crt" -CAkey "$STATE/pki/ca.key" -CAcreateserial \
    -days 30 -extfile "$ext" -out "$STATE/pki/$name.crt" 2>/dev/null
}

# kubeconfig NAME: a kubeconfig for the component NAME authenticating with its certificate.
kubeconfig() {
  cat > "$STATE/pki/$1.kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters: [{name: kgo, cluster: {server: "$APISERVER", certificate-authority: "$STATE/pki/ca.crt"}}]
users: [{name: $1, user: {client-certificate: "$STATE/pki/$1.crt", client-key: "$STATE/pki/$1.key"}}]
contexts: [{name: kgo, context: {cluster: kgo, user: $1}}]
current-context: kgo
EOF
}

node_ready() {
  [ "$(kubectl get node "$NODE_NAME" -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" = True ]
}

status() {
  [ -f "$STATE/cluster.env" ] && kubectl get --raw /readyz >/dev/null 2>&1 && node_ready
}

write_configs() {
  mkdir -p "$STATE"/{pki,logs,pids,etcd,kubelet,cni/net.d,cni/ipam,containerd}
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$STATE/pki/ca.key" -subj "/CN=keycloak-gitops-node-ca" \
    -days 30 -out "$STATE/pki/ca.crt" 2>/dev/null
  openssl genrsa -out "$STATE/pki/sa.key" 2048 2>/dev/null
  openssl rsa -in "$STATE/pki/sa.key" -pubout -out "$STATE/pki/sa.pub" 2>/dev/null
  cert apiserver kube-apiserver "" "IP:$NODE_IP,IP:$KUBERNETES_SERVICE_IP,IP:127.0.0.1,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
  cert apiserver-kubelet-client kube-apiserver-kubelet-client system:masters
  cert kubelet-serving "system:node:$NODE_NAME" system:nodes "IP:$NODE_IP,DNS:$NODE_NAME"
  cert admin kubernetes-admin system:masters
  cert kubelet "system:node:$NODE_NAME" system:nodes
  cert controller-manager system:kube-controller-manager
  cert scheduler system:kube-scheduler
  cert proxy system:kube-proxy
  cert coredns system:coredns
  for c in admin kubelet controller-manager scheduler proxy coredns; do kubeconfig "$c"; done
  cp "$STATE/pki/admin.kubeconfig" "$KUBECONFIG"

  # Every namespace is restricted unless it says otherwise; kube-system runs nothing here but stays exempt.
  cat > "$STATE/admission.yaml" <<EOF
apiVersion: apiserver.config.k8s.io/v1
kind: AdmissionConfiguration
plugins:
- name: PodSecurity
  configuration:
    apiVersion: pod-security.admission.config.k8s.io/v1
    kind: PodSecurityConfiguration
    defaults: {enforce: restricted, enforce-version: latest, audit: restricted, warn: restricted}
    exemptions: {namespaces: [kube-system]}
EOF

  cat > "$STATE/containerd/config.toml" <<EOF
version = 2
root = "$CONTAINERD_ROOT"
state = "$STATE/containerd/state"
[grpc]
  address = "$CONTAINERD_SOCK"
[ttrpc]
  address = "$STATE/containerd/containerd.sock.ttrpc"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$SANDBOX_IMAGE"
  stream_server_address = "127.0.0.1"
  # This VM refuses lowering oom_score_adj (runc: "failed to update /proc/self/oom_score_adj: Permission
  # denied" for the sandbox's -998): keep every container at or above containerd's own score.
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$STATE/cni/net.d"
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
EOF

  # The bridge exists before the first pod (kubelet serves on its address); the plugin only attaches veths.
  cat > "$STATE/cni/net.d/10-kgo.conflist" <<EOF
{"cniVersion": "0.4.0", "name": "kgo", "plugins": [{
  "type": "bridge", "bridge": "$BRIDGE", "isGateway": true, "ipMasq": false, "hairpinMode": true,
  "ipam": {"type": "host-local", "dataDir": "$STATE/cni/ipam",
           "ranges": [[{"subnet": "$POD_CIDR", "gateway": "$NODE_IP"}]], "routes": [{"dst": "0.0.0.0/0"}]}}]}
EOF

  cat > "$STATE/kubelet/config.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $NODE_IP
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
tlsCertFile: $STATE/pki/kubelet-serving.crt
tlsPrivateKeyFile: $STATE/pki/kubelet-serving.key
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $STATE/pki/ca.crt}
authorization: {mode: Webhook}
cgroupDriver: cgroupfs
failSwapOn: false
clusterDNS: [$NODE_IP]
clusterDomain: cluster.local
containerRuntimeEndpoint: unix://$CONTAINERD_SOCK
# The disk is shared with builds: never evict pods or collect images because of it.
evictionHard: {memory.available: 100Mi, nodefs.available: "1%", imagefs.available: "1%"}
imageGCHighThresholdPercent: 100
serializeImagePulls: false
EOF

  cat > "$STATE/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: $STATE/pki/proxy.kubeconfig}
mode: iptables
hostnameOverride: $NODE_NAME
clusterCIDR: $POD_CIDR
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
nodePortAddresses: [$NODE_IP/32]
# Leave the host's conntrack sysctls alone.
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
EOF

  cat > "$STATE/Corefile" <<EOF
cluster.local:53 in-addr.arpa:53 ip6.arpa:53 {
  bind $NODE_IP
  errors
  kubernetes cluster.local in-addr.arpa ip6.arpa {
    kubeconfig $STATE/pki/coredns.kubeconfig kgo
    pods insecure
    fallthrough in-addr.arpa ip6.arpa
  }
  cache 5
}
# No upstream: pods reach only this machine, so every other name does not exist.
.:53 {
  bind $NODE_IP
  template ANY ANY {
    rcode NXDOMAIN
  }
}
EOF
}

network_up() {
  cat /proc/sys/net/ipv4/ip_forward > "$STATE/ip_forward.orig"
  ip link add "$BRIDGE" type bridge
  ip addr add "$NODE_IP/24" dev "$BRIDGE"
  ip link set "$BRIDGE" up
  # Pod -> Service -> pod is routed through this machine.
  echo 1 > /proc/sys/net/ipv4/ip_forward
}

node_up() {
  local t0=$SECONDS
  [ "$(id -u)" = 0 ] || die "the node needs root (network namespaces, bridge, iptables, mounts)"
  for b in etcd-real kube-apiserver kubectl kubelet kube-proxy kube-controller-manager kube-scheduler coredns crictl; do
    [ -x "$K8S_BIN/$b" ] || die "$K8S_BIN/$b is missing: run test/node/install.sh"
  done
  for c in containerd runc iptables ip; do require_command "$c" "run test/node/install.sh (Debian packages $NODE_DEBIAN_PACKAGES)"; done
  [ -f "$PAUSE_IMAGE_TAR" ] || die "pause image $PAUSE_IMAGE_TAR is missing (build the images, or set PAUSE_IMAGE_TAR)"
  [ ! -e "$STATE/pids" ] || down
  write_configs
  network_up
  mkdir -p "$CONTAINERD_ROOT"

  start etcd "$K8S_BIN/etcd-real" --data-dir "$STATE/etcd" --name kgo \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$(( ETCD_PORT + 10 ))" \
    --initial-advertise-peer-urls "http://127.0.0.1:$(( ETCD_PORT + 10 ))" \
    --initial-cluster "kgo=http://127.0.0.1:$(( ETCD_PORT + 10 ))" --listen-metrics-urls "" \
    --unsafe-no-fsync
  start containerd containerd --config "$STATE/containerd/config.toml"
  start kube-apiserver "$K8S_BIN/kube-apiserver" \
    --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
    --bind-address "$NODE_IP" --advertise-address "$NODE_IP" --secure-port 6443 \
    --tls-cert-file "$STATE/pki/apiserver.crt" --tls-private-key-file "$STATE/pki/apiserver.key" \
    --client-ca-file "$STATE/pki/ca.crt" \
    --kubelet-client-certificate "$STATE/pki/apiserver-kubelet-client.crt" \
    --kubelet-client-key "$STATE/pki/apiserver-kubelet-client.key" \
    --kubelet-certificate-authority "$STATE/pki/ca.crt" --kubelet-preferred-address-types InternalIP \
    --service-account-key-file "$STATE/pki/sa.pub" --service-account-signing-key-file "$STATE/pki/sa.key" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-cluster-ip-range "$SERVICE_CIDR" \
    --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction \
    --admission-control-config-file "$STATE/admission.yaml" \
    --allow-privileged=false --profiling=false
  wait_for kube-apiserver 120 kubectl get --raw /readyz
  wait_for containerd 30 ctr_k8s version

  start kube-controller-manager "$K8S_BIN/kube-controller-manager" \
    --kubeconfig "$STATE/pki/controller-manager.kubeconfig" \
    --authentication-kubeconfig "$STATE/pki/controller-manager.kubeconfig" \
    --authorization-kubeconfig "$STATE/pki/controller-manager.kubeconfig" \
    --bind-address 127.0.0.1 --leader-elect=false --use-service-account-credentials \
    --service-account-private-key-file "$STATE/pki/sa.key" --root-ca-file "$STATE/pki/ca.crt" \
    --cluster-signing-cert-file "$STATE/pki/ca.crt" --cluster-signing-key-file "$STATE/pki/ca.key" \
    --service-cluster-ip-range "$SERVICE_CIDR" --profiling=false
  start kube-scheduler "$K8S_BIN/kube-scheduler" \
    --kubeconfig "$STATE/pki/scheduler.kubeconfig" \
    --authentication-kubeconfig "$STATE/pki/scheduler.kubeconfig" \
    --authorization-kubeconfig "$STATE/pki/scheduler.kubeconfig" \
    --bind-address 127.0.0.1 --leader-elect=false --profiling=false

  ctr_k8s images import --all-platforms "$PAUSE_IMAGE_TAR" > "$STATE/logs/pause-import.log"
  local pause_ref
  pause_ref=$(sed -n 's/^unpacking \([^ ]*\) .*/\1/p' "$STATE/logs/pause-import.log" | head -1)
  [ -n "$pause_ref" ] || die "no image found in $PAUSE_IMAGE_TAR"
  [ "$pause_ref" = "$SANDBOX_IMAGE" ] || ctr_k8s images tag --force "$pause_ref" "$SANDBOX_IMAGE" >/dev/null

  start kubelet "$K8S_BIN/kubelet" --config "$STATE/kubelet/config.yaml" \
    --kubeconfig "$STATE/pki/kubelet.kubeconfig" --hostname-override "$NODE_NAME" --node-ip "$NODE_IP" \
    --root-dir "$STATE/kubelet/root" --cert-dir "$STATE/kubelet/pki"
  start kube-proxy "$K8S_BIN/kube-proxy" --config "$STATE/kube-proxy.yaml"

  kubectl apply -f - >/dev/null <<EOF
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: "system:coredns"}
rules:
- {apiGroups: [""], resources: [endpoints, services, pods, namespaces], verbs: [list, watch]}
- {apiGroups: [discovery.k8s.io], resources: [endpointslices], verbs: [list, watch]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: "system:coredns"}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "system:coredns"}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: "system:coredns"}]
EOF
  start coredns "$K8S_BIN/coredns" -conf "$STATE/Corefile"
  kubectl label namespace default --overwrite pod-security.kubernetes.io/enforce=restricted >/dev/null

  wait_for "node $NODE_NAME Ready" 120 node_ready
  wait_for "the default service account" 60 kubectl -n default get serviceaccount default
  printf 'KUBECONFIG=%s\nNODE_IP=%s\n' "$KUBECONFIG" "$NODE_IP" > "$STATE/cluster.env"
  log "node up in $(( SECONDS - t0 )) s"
}

IMAGES_DIR=${KEYCLOAK_GITOPS_IMAGES:-$HOME/.cache/keycloak-gitops/images}
HELM=${KEYCLOAK_GITOPS_BIN:-$HOME/.cache/keycloak-gitops/bin}/helm
RELEASE_NS=keycloak-gitops
KEYCLOAK_NS=identity
KEYCLOAK_CR=sso

# import_image NAME: imports $IMAGES_DIR/NAME.tar unless this very archive (its .inputs stamp, size and time) was
# imported before (containerd's root survives down); prints the image reference.
import_image() {
  local tar=$IMAGES_DIR/$1.tar mark=$CONTAINERD_ROOT/../imported/$1 stamp ref
  stamp="$(cat "$IMAGES_DIR/$1.inputs" 2>/dev/null) $(stat -c %Y-%s "$tar")"
  if [ "$(head -1 "$mark" 2>/dev/null)" = "$stamp" ] && ref=$(sed -n 2p "$mark") \
      && ctr_k8s images check "name==$ref" | grep -q complete; then
    echo "$ref"; return
  fi
  ref=$(ctr_k8s images import "$tar" | sed -n 's/^unpacking \([^ ]*\) .*/\1/p' | head -1)
  [ -n "$ref" ] || die "no image found in $tar"
  mkdir -p "${mark%/*}"
  printf '%s\n%s\n' "$stamp" "$ref" > "$mark"
  echo "$ref"
}

# The whole system on the node: the project's images, the chart, PostgreSQL, the example Keycloak CR and a Git
# repository of examples/realms that realm-sync watches, served by `git daemon` on the bridge address (pods
# reach this machine there, and nothing else does).
system_up() {
  local t0=$SECONDS name ref tag url ip
  [ -x "$HELM" ] || "$root/test/chart/install-helm.sh"
  for name in webhook reconciler realm-sync keycloak postgres; do ref=$(import_image "$name"); done
  tag=${ref##*:}
  log "images imported ($(( SECONDS - t0 )) s)"

  if [ ! -d "$STATE/git/realms.git" ]; then
    local seed=$STATE/git/seed
    mkdir -p "$seed/realms"
    cp "$root"/examples/realms/*.json "$seed/realms/"
    git -C "$seed" init -q -b main
    git -C "$seed" add realms
    git -C "$seed" -c user.name=cluster.sh -c user.email=cluster.sh@localhost commit -q -m "examples/realms"
    git clone -q --bare "$seed" "$STATE/git/realms.git"
    rm -rf "$seed"
  fi
  if ! kill -0 "$(cat "$STATE/pids/git-daemon" 2>/dev/null)" 2>/dev/null; then
    start git-daemon git daemon --listen="$NODE_IP" --port=9418 --base-path="$STATE/git" --export-all \
      --reuseaddr "$STATE/git"
  fi

  for name in "$RELEASE_NS" "$KEYCLOAK_NS"; do
    kubectl create namespace "$name" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
    kubectl label namespace "$name" --overwrite pod-security.kubernetes.io/enforce=restricted >/dev/null
  done
  # examples/realms/acme.json reads a client secret through ${env:REALM_ACME_API_SECRET}: a random one, kept.
  kubectl -n "$RELEASE_NS" get secret realm-secrets >/dev/null 2>&1 \
    || kubectl -n "$RELEASE_NS" create secret generic realm-secrets \
      --from-literal=REALM_ACME_API_SECRET="$(openssl rand -hex 24)" >/dev/null
  # No --wait: realm-sync starts only once the Keycloak it syncs has made its admin Secret. The reconciler and
  # realm-sync watch the example's namespace only (Roles there, no ClusterRoles): other namespaces are free for
  # other installations, such as the one Argo CD makes in test/node's ArgoCdOnNodeIT.
  "$HELM" upgrade --install keycloak-gitops "$root/chart" --namespace "$RELEASE_NS" \
    --set image.registry=localhost --set image.tag="$tag" --set image.pullPolicy=Never \
    --set "reconciler.watchNamespaces={$KEYCLOAK_NS}" \
    --set reconciler.keycloakImage="localhost/keycloak-gitops/keycloak:$tag" \
    --set realmSync.git.repo="git://$NODE_IP/realms.git" --set realmSync.git.path=realms \
    --set realmSync.interval=10s \
    --set realmSync.keycloak.url="http://$KEYCLOAK_CR-service.$KEYCLOAK_NS.svc:8080" \
    --set realmSync.keycloak.credentialsSecret.name=keycloak-admin \
    --set-json 'realmSync.extraEnv=[{"name": "REALM_ACME_API_SECRET", "valueFrom": {"secretKeyRef": {"name": "realm-secrets", "key": "REALM_ACME_API_SECRET"}}}]' \
    >/dev/null
  kubectl -n "$RELEASE_NS" wait deployment/keycloak-gitops-webhook deployment/keycloak-gitops-reconciler \
    --for=condition=Available --timeout=10m >/dev/null
  log "chart installed, webhook and reconciler Available ($(( SECONDS - t0 )) s)"

  kubectl apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Secret
metadata: {name: keycloak-db, namespace: $KEYCLOAK_NS}
stringData: {username: keycloak, password: keycloak-node-db}
YAML
  sed -e "s|\${NAMESPACE}|$KEYCLOAK_NS|g" -e "s|\${TAG}|$tag|g" "$root/test/node/postgres.yaml" | kubectl apply -f - >/dev/null
  # The webhook (failurePolicy Fail) answers once it has patched its CA into the webhook configurations.
  # The reconciler's image here is keycloak-image/Containerfile's optimized build (kc.sh build for postgres), so
  # the CR starts it --optimized: the hardened pod then runs with its read-only root filesystem.
  kubectl patch --local -f "$root/examples/keycloak/keycloak.yaml" --type merge -p '{"spec":{"startOptimized":true}}' \
    -o yaml > "$STATE/keycloak.yaml"
  wait_for "the webhook admitting examples/keycloak" 120 kubectl apply -f "$STATE/keycloak.yaml"
  kubectl -n "$KEYCLOAK_NS" wait "keycloak/$KEYCLOAK_CR" --for=condition=Ready --timeout=15m >/dev/null \
    || die "Keycloak CR $KEYCLOAK_NS/$KEYCLOAK_CR not Ready (kubectl -n $KEYCLOAK_NS describe keycloak $KEYCLOAK_CR)"
  log "Keycloak Ready ($(( SECONDS - t0 )) s)"

  # realm-sync reads the admin credentials the reconciler generated, copied into its own namespace.
  kubectl -n "$KEYCLOAK_NS" get secret "$KEYCLOAK_CR-initial-admin" \
      -o go-template='{{range $k, $v := .data}}{{$k}}={{$v | base64decode}}{{"\n"}}{{end}}' \
    | kubectl -n "$RELEASE_NS" create secret generic keycloak-admin --from-env-file=/dev/stdin \
      --dry-run=client -o yaml \
    | kubectl apply -f - >/dev/null
  ip=$(kubectl -n "$KEYCLOAK_NS" get service "$KEYCLOAK_CR-service" -o jsonpath='{.spec.clusterIP}')
  url="http://$ip:8080"
  for name in "$root"/examples/realms/*.json; do
    name=$(basename "$name" .json)
    wait_for "realm $name served (kubectl -n $RELEASE_NS logs deploy/keycloak-gitops-realm-sync)" 600 \
      curl -fsS -o /dev/null "$url/realms/$name/.well-known/openid-configuration"
  done
  log "example realms served ($(( SECONDS - t0 )) s)"
  printf 'KUBECONFIG=%s\nNODE_IP=%s\nKEYCLOAK_URL=%s\n' "$KUBECONFIG" "$NODE_IP" "$url" > "$STATE/cluster.env"
}

# Removes the iptables jumps to, and the chains named, KUBE-* (kube-proxy, kubelet). The CNI config masquerades
# nothing, so no CNI-* chain is ours (podman's may exist).
iptables_clean() {
  local cmd=$1 table chain rule
  for table in filter nat mangle; do
    "$cmd-save" -t "$table" 2>/dev/null | { grep -E '^-A [A-Z]+ .*-j KUBE-' || true; } | while read -r rule; do
      eval "$cmd -t $table -D ${rule#-A }" || true
    done
    for chain in $("$cmd-save" -t "$table" 2>/dev/null | sed -n 's/^:\(KUBE-[^ ]*\) .*/\1/p'); do
      "$cmd" -t "$table" -F "$chain" 2>/dev/null || true
    done
    for chain in $("$cmd-save" -t "$table" 2>/dev/null | sed -n 's/^:\(KUBE-[^ ]*\) .*/\1/p'); do
      "$cmd" -t "$table" -X "$chain" 2>/dev/null || true
    done
  done
}

stop() {
  local pidfile=$STATE/pids/$1 pid i
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for i in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

down() {
  [ -d "$STATE" ] || { log "not running"; return 0; }
  stop kubelet
  # Pods go through the CRI so that the CNI plugin releases their veth, address and network namespace.
  if [ -f "$STATE/pids/containerd" ] && [ -x "$K8S_BIN/crictl" ]; then
    crictl_node rmp --all --force >/dev/null 2>&1 || log "crictl rmp failed; removing what is left by hand"
  fi
  local p
  for p in git-daemon coredns kube-proxy kube-scheduler kube-controller-manager kube-apiserver containerd etcd; do stop "$p"; done
  # Shims of containers crictl could not remove (they name our socket on their command line).
  for p in $(pgrep -f "containerd-shim.* -address $CONTAINERD_SOCK" || true); do kill -9 "$p" 2>/dev/null || true; done
  local m
  for m in $(findmnt -rn -o TARGET | grep -E "^($STATE|$CONTAINERD_ROOT)/" | sort -r); do umount -l "$m" || true; done
  for m in $(ip -o link show master "$BRIDGE" 2>/dev/null | sed -n 's/^[0-9]*: \([^@:]*\).*/\1/p'); do ip link del "$m" || true; done
  ip link del "$BRIDGE" 2>/dev/null || true
  iptables_clean iptables
  iptables_clean ip6tables
  [ ! -f "$STATE/ip_forward.orig" ] || cat "$STATE/ip_forward.orig" > /proc/sys/net/ipv4/ip_forward
  # kubelet's pod cgroups (cgroupfs driver), innermost first.
  find /sys/fs/cgroup/*/kubepods -depth -type d -exec rmdir {} + 2>/dev/null || true
  rm -rf "$STATE"
  log "down"
}

case ${1:-} in
  up)
    # Builds or installs what is missing (a fresh clone); under a second when everything is present.
    # The images first: the node's sandbox (pause) image is one of them. Always for the whole system: it rebuilds
    # only images whose inputs changed (under a second when none did), so a test run gets images of the jars it
    # has just built.
    if [ "${2:-}" != --node-only ] || [ ! -f "$PAUSE_IMAGE_TAR" ]; then "$root/scripts/build-images.sh" >&2; fi
    if status; then log "node already up"; else "$root/test/node/install.sh" >&2; node_up; fi
    [ "${2:-}" = --node-only ] || system_up
    cat "$STATE/cluster.env"
    [ "${2:-}" = --node-only ] || echo "Keycloak: $(sed -n 's/^KEYCLOAK_URL=//p' "$STATE/cluster.env")"
    ;;
  down) down ;;
  status) status ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
