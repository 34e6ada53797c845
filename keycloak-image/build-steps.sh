#!/usr/bin/env bash
# The build steps of the optimized Keycloak server image: run by the Containerfile's build stage and, on an
# unpacked Keycloak dist, by test/chart's KeycloakImageBuildIT, so that the image and its test cannot drift.
#
#   build-steps.sh KEYCLOAK_HOME
#
# Build options come from the environment (the Containerfile passes its build args):
#   KEYCLOAK_DB                  database vendor (default postgres)
#   KEYCLOAK_FEATURES            comma list of features to enable (default none)
#   KEYCLOAK_FEATURES_DISABLED   comma list of features to disable (default none)
# Health and metrics are always enabled: the reconciler probes /health/* and scrapes /metrics on the
# management port.
set -euo pipefail

home="${1:?usage: build-steps.sh KEYCLOAK_HOME}"
[[ -x "$home/bin/kc.sh" ]] || { echo "build-steps.sh: no Keycloak dist at $home" >&2; exit 1; }

# KC_* variables are Keycloak options too; a stray one in the build environment would end up baked into the
# image unnoticed, so the build sees only the options given here.
for var in $(compgen -e | grep '^KC_' || true); do unset "$var"; done

options=(--db="${KEYCLOAK_DB:-postgres}" --health-enabled=true --metrics-enabled=true)
[[ -n "${KEYCLOAK_FEATURES:-}" ]] && options+=(--features="$KEYCLOAK_FEATURES")
[[ -n "${KEYCLOAK_FEATURES_DISABLED:-}" ]] && options+=(--features-disabled="$KEYCLOAK_FEATURES_DISABLED")

echo "kc.sh build ${options[*]}"
"$home/bin/kc.sh" build "${options[@]}"

# Runtime state must not ship in the image (dev-mode H2 files, transaction logs of a test start).
rm -rf "$home/data"
mkdir -p "$home/data"
# Any numeric user in group 0 (OpenShift's arbitrary uids, the chart's runAsUser) may write data/.
chmod -R g+rwX "$home/data" "$home/lib/quarkus"
