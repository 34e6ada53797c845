#!/usr/bin/env bash
# The local demo on embedded defaults: a real Keycloak on 127.0.0.1 (dev database), a local Git repository
# seeded with examples/realms, realm-sync watching it, and the webhook's offline check on examples/keycloak.
# With the kube-apiserver binaries present (test/envtest/install.sh) it also shows `kubectl apply` through the
# admission webhooks. Ctrl-C stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
. scripts/lib.sh
use_jdk21

demo_dir=${DEMO_DIR:-$(mktemp -d -t keycloak-gitops-demo.XXXXXX)}
mkdir -p "$demo_dir"
pids=()
cleanup() {
  trap - INT TERM EXIT
  echo
  echo "stopping the demo..."
  for pid in "${pids[@]}"; do
    pkill -TERM -P "$pid" 2>/dev/null || true
    kill -TERM "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  echo "stopped; files kept in $demo_dir"
}
trap cleanup INT TERM EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
wait_http() { # url seconds
  for _ in $(seq 1 "$2"); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 1; done
  return 1
}

echo "==> building the services (first run downloads dependencies and the Keycloak dist)"
./mvnw -B -q -DskipTests install -pl webhook,realm-sync,test/e2e -am
kc_dist=$(./mvnw -B -q -N help:evaluate -Dexpression=keycloak.dist.dir -DforceStdout)

echo "==> starting Keycloak (dev mode, in-memory database) on 127.0.0.1"
kc_port=$(free_port); kc_mgmt=$(free_port)
admin_password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
umask 077
printf 'username=admin\npassword=%s\n' "$admin_password" > "$demo_dir/admin-credentials"
umask 022
KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=$admin_password \
  "$kc_dist/bin/kc.sh" start-dev --http-host=127.0.0.1 --http-port="$kc_port" --http-management-port="$kc_mgmt" \
  --db=dev-mem --health-enabled=true --metrics-enabled=true --cache=local > "$demo_dir/keycloak.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$kc_mgmt/health/ready" 240 || { echo "Keycloak did not start; see $demo_dir/keycloak.log" >&2; exit 1; }
echo "Keycloak: http://127.0.0.1:$kc_port"

echo "==> seeding a Git repository with examples/realms"
git init -q --bare -b main "$demo_dir/realms.git"
git clone -q "$demo_dir/realms.git" "$demo_dir/realms" 2>/dev/null
mkdir -p "$demo_dir/realms/realms"
cp examples/realms/*.json "$demo_dir/realms/realms/"
git -C "$demo_dir/realms" -c user.name=demo -c user.email=demo@example.invalid add -A
git -C "$demo_dir/realms" -c user.name=demo -c user.email=demo@example.invalid commit -q -m "example realms"
git -C "$demo_dir/realms" push -q origin HEAD:main

echo "==> starting realm-sync, watching $demo_dir/realms.git (branch main, path realms)"
rs_port=$(free_port)
rs_mgmt_port=$(free_port)
umask 077
head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$demo_dir/acme-api-secret"
umask 022
KEYCLOAK_URL="http://127.0.0.1:$kc_port" KEYCLOAK_USER=admin KEYCLOAK_PASSWORD=$admin_password \
  REALM_ACME_API_SECRET=$(cat "$demo_dir/acme-api-secret") OWNERSHIP_KEY_FILE="$demo_dir/ownership.key" \
  java -jar realm-sync/target/realm-sync.jar run --repo "file://$demo_dir/realms.git" --branch main --path realms \
  --port "$rs_port" --management-port "$rs_mgmt_port" --bind 127.0.0.1 --interval 10s > "$demo_dir/realm-sync.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$rs_mgmt_port/readyz" 120 || { echo "realm-sync did not start; see $demo_dir/realm-sync.log" >&2; exit 1; }
for _ in $(seq 1 120); do
  status=$(curl -fsS "http://127.0.0.1:$rs_mgmt_port/status" 2>/dev/null || true)
  [ -n "$status" ] && ! grep -q '"Pending"' <<<"$status" && grep -q '"partners"' <<<"$status" && break
  sleep 1
done
echo "realm-sync status (http://127.0.0.1:$rs_mgmt_port/status):"
curl -fsS "http://127.0.0.1:$rs_mgmt_port/status"; echo

echo "==> the webhook's offline check on examples/keycloak (what a GitOps repository's CI runs)"
java -jar webhook/target/webhook.jar check examples/keycloak/*.yaml && echo "examples/keycloak: all admitted"
java -jar webhook/target/webhook.jar check examples/keycloak/rejected/*.yaml || echo "(examples/keycloak/rejected is denied, as it should be)"

if [ -x "$HOME/.kubeapitest/k8s/1.34.4-linux-amd64/kube-apiserver" ]; then
  echo "==> kube-apiserver binaries found: kubectl apply through the admission webhooks"
  cp_file="$demo_dir/e2e.classpath"
  ./mvnw -B -q -pl test/e2e dependency:build-classpath -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test
  java -Dk8s.version=1.34.4 -cp "test/e2e/target/classes:test/e2e/target/test-classes:$(cat "$cp_file")" \
    io.keycloakgitops.e2e.KubeDemo "$root/examples/keycloak" > "$demo_dir/kube-demo.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 180); do grep -q "KUBE DEMO DONE" "$demo_dir/kube-demo.log" 2>/dev/null && break; sleep 1; done
  sed '/KUBE DEMO DONE/d' "$demo_dir/kube-demo.log" | grep -v -E "^(SLF4J|WARNING)" || true
else
  echo "(run test/envtest/install.sh to also see kubectl apply against a real kube-apiserver)"
fi

cat <<MSG

Keycloak: http://127.0.0.1:$kc_port
  admin console: http://127.0.0.1:$kc_port/admin/  (credentials in $demo_dir/admin-credentials)
  realm-sync status: http://127.0.0.1:$rs_mgmt_port/status   (metrics: /metrics)

Try it:
  cd $demo_dir/realms
  edit realms/acme.json (e.g. add a client or change "displayName"), then
  git commit -am "change acme" && git push origin HEAD:main
  realm-sync applies it within 10 s (or at once: curl -X POST ... /hooks/git with a signed payload);
  watch: curl http://127.0.0.1:$rs_mgmt_port/status   logs: $demo_dir/*.log

Press Ctrl-C to stop everything.
MSG
wait
