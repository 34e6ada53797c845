#!/usr/bin/env bash
# Runs the Keycloak image benchmark (KeycloakStartBench) outside the test suite: build steps, then N optimized
# starts on a throw-away PostgreSQL. Usage: test/chart/bench.sh [starts]
set -euo pipefail
cd "$(dirname "$0")"
mvn -B -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -cp "target/test-classes:$(cat target/bench.classpath)" -Drepo.root="$(cd ../.. && pwd)" \
  io.keycloakgitops.chart.KeycloakStartBench "$@"
