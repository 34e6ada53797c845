#!/usr/bin/env bash
# Smoke test of the archives scripts/build-images.sh writes, loaded as the node loads them:
#  1. containerd 1.6 (Debian's, a throw-away daemon under /tmp) imports every archive with
#     `ctr -n k8s.io images import` and runs the pause image;
#  2. podman (a throw-away store under /tmp, loaded from the same archives) runs each image as a restricted pod
#     would: read-only root filesystem, the image's non-root user, all capabilities dropped, no network but the
#     container's own loopback, writable only where the Kubernetes manifests mount emptyDirs. Our services print
#     --help; PostgreSQL takes a connection; Keycloak (`start --optimized`, the image's command) runs on that
#     PostgreSQL and answers /health/ready and /realms/master.
#
#   scripts/test-images.sh        (as root, after scripts/build-images.sh; first checks that a second build is a no-op)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/scripts/lib.sh"

images="${KEYCLOAK_GITOPS_IMAGES:-$HOME/.cache/keycloak-gitops/images}"
prefix=localhost/keycloak-gitops
version=$(sed -n '0,/<version>/s|.*<version>\(.*\)</version>.*|\1|p' "$root/pom.xml")
names="pause base keycloak webhook reconciler realm-sync postgres"

[ "$(id -u)" = 0 ] || { echo "error: test-images.sh must run as root (containerd, podman)" >&2; exit 1; }
ensure_debian_packages containerd runc podman
for name in $names; do
  [[ -f "$images/$name.tar" ]] || { echo "error: $images/$name.tar is missing: run scripts/build-images.sh" >&2; exit 1; }
done

# The build is idempotent: right after a build, a second run finds every archive's inputs unchanged.
rebuilt=$("$root/scripts/build-images.sh" 2>&1 >/dev/null | grep -v '(up to date)$' || true)
[[ -z "$rebuilt" ]] || { echo "FAIL: build-images.sh rebuilt unchanged images (run it once before this test): $rebuilt" >&2; exit 1; }
echo "ok: build-images.sh again: all seven up to date"

tmp=$(mktemp -d /tmp/kg-test-images.XXXXXX)
containerd_pid=""
pm() { CONTAINERS_CONF="$tmp/containers.conf" podman --root "$tmp/podman" --runroot "$tmp/podman-run" --storage-driver overlay --cgroup-manager cgroupfs \
  --events-backend file --tmpdir "$tmp/podman-tmp" "$@"; }
ctr_() { ctr --address "$tmp/containerd.sock" -n k8s.io "$@"; }
cleanup() {
  set +e
  pm pod rm -f -a >/dev/null 2>&1
  pm rm -f -a >/dev/null 2>&1
  if [[ -n "$containerd_pid" ]]; then
    ctr_ task kill -s KILL pause-smoke >/dev/null 2>&1
    ctr_ task delete pause-smoke >/dev/null 2>&1
    ctr_ container delete pause-smoke >/dev/null 2>&1
    kill "$containerd_pid" && wait "$containerd_pid"
  fi
  # Overlay mounts of either store would keep rm from deleting it.
  grep -o " $tmp/[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l
  rm -rf "$tmp"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }

# --- 1. containerd: import every archive, run pause ----------------------------------------------------------
cat > "$tmp/containerd.toml" <<EOF
version = 2
root = "$tmp/containerd-root"
state = "$tmp/containerd-state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$tmp/containerd.sock"
[ttrpc]
  address = "$tmp/containerd.sock.ttrpc"
EOF
containerd --config "$tmp/containerd.toml" > "$tmp/containerd.log" 2>&1 &
containerd_pid=$!
for _ in $(seq 50); do ctr_ version >/dev/null 2>&1 && break; sleep 0.2; done
for name in $names; do
  ctr_ images import "$images/$name.tar" >/dev/null || fail "ctr images import $name.tar"
done
imported=$(ctr_ images list -q)
for name in $names; do
  grep -qx "$prefix/$name:$version" <<<"$imported" || fail "containerd lists no $prefix/$name:$version (it lists: $imported)"
done
pass "containerd $(containerd --version | cut -d' ' -f3) imported ${names// /, }"
ctr_ run -d --read-only "$prefix/pause:$version" pause-smoke >/dev/null || fail "ctr run pause"
sleep 1
status=$(ctr_ task list | awk '$1 == "pause-smoke" {print $3}')
[[ "$status" == RUNNING ]] || fail "the pause task is '$status', not RUNNING"
pass "ctr run pause: RUNNING as $(ctr_ containers info pause-smoke | grep -o '"uid": [0-9]*' | head -1)"

# --- 2. podman: each image as a restricted pod runs it -----------------------------------------------------
# Root here may lack CAP_SYS_RESOURCE (as in this VM): runc can then only lower rlimits, not raise them to
# podman's defaults, so every container (the pod's infra too) gets the current hard limits.
printf '[containers]\ndefault_ulimits = ["nofile=%s:%s", "nproc=4096:4096"]\n' "$(ulimit -Hn)" "$(ulimit -Hn)" \
  > "$tmp/containers.conf"
for name in $names; do
  pm load -q -i "$images/$name.tar" >/dev/null || fail "podman load $name.tar"
done
restricted=(--read-only --read-only-tmpfs=false --cap-drop ALL --security-opt no-new-privileges)

for s in webhook reconciler realm-sync; do
  user=$(pm image inspect --format '{{.Config.User}}' "$prefix/$s:$version")
  [[ "$user" == 65532:65532 ]] || fail "$s runs as '$user', not 65532:65532"
  # The chart mounts an emptyDir on /tmp.
  help=$(pm run --rm --network none "${restricted[@]}" --tmpfs /tmp "$prefix/$s:$version" --help 2>&1) \
    || fail "$s --help: $help"
  grep -q "Usage: $s" <<<"$help" || fail "$s --help printed no usage: $help"
  pass "$s --help (uid $user, read-only root, no capabilities)"
done

pm pod create --name kg-smoke --network none --infra-image "$prefix/pause:$version" >/dev/null
pm run -d --pod kg-smoke --name kg-postgres "${restricted[@]}" --tmpfs /var/lib/postgresql/data:mode=0777 \
  -e POSTGRES_USER=keycloak -e POSTGRES_PASSWORD=smoke-secret -e POSTGRES_DB=keycloak "$prefix/postgres:$version" >/dev/null
for _ in $(seq 60); do
  pm exec -e PGPASSWORD=smoke-secret kg-postgres psql -h 127.0.0.1 -U keycloak -d keycloak -tAc 'select 1' 2>/dev/null \
    | grep -qx 1 && break
  sleep 1
done
answer=$(pm exec -e PGPASSWORD=smoke-secret kg-postgres psql -h 127.0.0.1 -U keycloak -d keycloak -tAc 'select current_user')
[[ "$answer" == keycloak ]] || fail "postgres: no connection as keycloak ($(pm logs kg-postgres 2>&1 | tail -5))"
pass "postgres accepts keycloak@127.0.0.1/keycloak (uid $(pm exec kg-postgres id -u), read-only root, no capabilities)"

# Exactly the emptyDirs the reconciler's Deployment mounts (KeycloakPodTemplate.WRITABLE_DIRS).
start=$SECONDS
pm run -d --pod kg-smoke --name kg-keycloak "${restricted[@]}" \
  --tmpfs /tmp --tmpfs /opt/keycloak/data/tmp:mode=0777 --tmpfs /opt/keycloak/data/transaction-logs:mode=0777 \
  -e KC_DB_URL=jdbc:postgresql://127.0.0.1:5432/keycloak -e KC_DB_USERNAME=keycloak -e KC_DB_PASSWORD=smoke-secret \
  -e KC_HTTP_ENABLED=true -e KC_HOSTNAME_STRICT=false -e KC_BOOTSTRAP_ADMIN_USERNAME=admin \
  -e KC_BOOTSTRAP_ADMIN_PASSWORD=smoke-admin "$prefix/keycloak:$version" >/dev/null
# No curl in the image: bash's /dev/tcp inside the pod's network namespace.
http_get() {
  pm exec kg-keycloak bash -c "exec 3<>/dev/tcp/127.0.0.1/$1 && printf 'GET $2 HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3 && cat <&3" 2>/dev/null
}
for _ in $(seq 180); do
  http_get 9000 /health/ready | grep -q '"UP"' && break
  [[ "$(pm inspect --format '{{.State.Running}}' kg-keycloak)" == true ]] || fail "keycloak exited: $(pm logs kg-keycloak 2>&1 | tail -20)"
  sleep 1
done
http_get 9000 /health/ready | grep -q '"UP"' || fail "keycloak not ready: $(pm logs kg-keycloak 2>&1 | tail -20)"
pass "keycloak start --optimized on postgres ready in $((SECONDS - start)) s (uid $(pm exec kg-keycloak id -u), read-only root, no capabilities)"
http_get 8080 /realms/master | head -1 | grep -q ' 200 ' || fail "keycloak: GET /realms/master is not 200"
pm logs kg-keycloak 2>&1 | grep -q "Updating the configuration" && fail "keycloak rebuilt at start (not optimized)"
pass "keycloak answers GET /realms/master on 127.0.0.1:8080"
