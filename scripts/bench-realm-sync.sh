#!/usr/bin/env bash
# The realm-sync scale benchmark (issue 12): runs the workloads given (W1, R200, W10; default all three) side by side
# with Keycloak's own import on one Keycloak 26.5.6 and writes the table into docs/benchmarks/realm-sync.md.
#   scripts/bench-realm-sync.sh [W1] [R200] [W10]
# BENCH_STOP_AT=2026-12-05T09:10:00Z stops CLI steps still running then; the table keeps what was measured and says
# which step stopped. KEYCLOAK_DIST_DIR: the Keycloak distribution (default the test harness's cache). Keycloak options
# go in as KC_* variables, which the benchmark's Keycloak inherits and the report names. The realm cache is sized for
# the 200 realms of R200 as docs/realm-sync.md advises ("Sizing Keycloak's realm cache for many realms"); set
# KC_CACHE_EMBEDDED_REALMS_MAX_COUNT=10000 to measure Keycloak's default.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
use_jdk21
for workload in "$@"; do
  case "$workload" in W1|R200|W10) ;; *) echo "error: unknown workload '$workload' (W1, R200, W10)" >&2; exit 1 ;; esac
done
export KC_CACHE_EMBEDDED_REALMS_MAX_COUNT="${KC_CACHE_EMBEDDED_REALMS_MAX_COUNT:-200000}"
dist="${KEYCLOAK_DIST_DIR:-$HOME/.cache/keycloak-gitops/keycloak-26.5.6}"
[ -d "$dist" ] || { echo "error: no Keycloak distribution at $dist (run the realm-sync ITs once, or set KEYCLOAK_DIST_DIR)" >&2; exit 1; }
./mvnw -B -q -pl realm-sync -am install -DskipTests
./mvnw -B -q -pl realm-sync test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-cp.txt -Dmdep.includeScope=test
exec java -Dkeycloak.dist.dir="$dist" ${BENCH_STOP_AT:+-Dbench.stopAt=$BENCH_STOP_AT} \
  -cp "realm-sync/target/classes:realm-sync/target/test-classes:$(cat realm-sync/target/bench-cp.txt)" \
  io.keycloakgitops.realmsync.bench.ScaleBenchmark docs/benchmarks/realm-sync.md realm-sync/target/realm-sync.jar "$@"
