#!/usr/bin/env bash
# Plans a pull request of a GitOps repository against the live Keycloak and writes the comment body (markdown).
#
# Environment:
#   REALM_SYNC     how to run realm-sync (default: java with the options for a short-lived CLI, see docs/realm-sync.md
#                  "Running the CLI fast", and its class-data archive in ~/.cache/realm-sync: cache that folder)
#   REPO           the checked-out repository (default: .)
#   REF            what to plan: a commit, branch or tag (default: the checked-out commit, e.g. the PR merge commit)
#   REALMS_PATH    folder of realm files in the repository (default: realms)
#   COMMENT_FILE   where the comment body goes (default: realm-sync-plan.md)
#   SOURCE_ID      the source id the realm-sync service uses for this repository, e.g.
#                  git:https://github.com/acme/identity.git#main:realms, so objects it owns are recognised
#   KEYCLOAK_URL, KEYCLOAK_CLIENT_ID / KEYCLOAK_CLIENT_SECRET (or KEYCLOAK_USER / KEYCLOAK_PASSWORD), and
#   VERIFY_SIGNATURES / TRUSTED_KEYS_FILE as for the service: realm-sync reads them from the environment.
#
# Exit: 0 no changes or changes pending (the comment says which), 1 error: the plan could not be made (the comment
# says so; details are in the job log, never in the comment). realm-sync's own codes: 0 none, 2 pending, 1 error.
set -uo pipefail

repo=${REPO:-.}
ref=${REF:-$(git -C "$repo" rev-parse HEAD)}
comment=${COMMENT_FILE:-realm-sync-plan.md}
if [ -z "${REALM_SYNC:-}" ]; then
  cache="${XDG_CACHE_HOME:-$HOME/.cache}/realm-sync"
  mkdir -p "$cache"
  REALM_SYNC="java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:SharedArchiveFile=$cache/realm-sync.jsa -XX:+AutoCreateSharedArchive -Xlog:cds=off -Xlog:cds+dynamic=off -jar realm-sync.jar"
fi
read -r -a realm_sync <<<"$REALM_SYNC"

"${realm_sync[@]}" plan --repo "$repo" --ref "$ref" --path "${REALMS_PATH:-realms}" --format markdown >"$comment"
status=$?

case $status in
  0) echo "realm-sync plan: no changes" ;;
  2) echo "realm-sync plan: changes pending, see $comment" ;;
  *)
    if [ ! -s "$comment" ]; then
      # The source could not be read (unreachable, unsigned commit, unknown ref): no plan was printed.
      printf '## realm-sync plan\n\n**Error**: no plan could be made for `%s` (exit %s); see the job log.\n' \
        "$ref" "$status" >"$comment"
    fi
    echo "realm-sync plan failed (exit $status), see the messages above" >&2
    exit 1
    ;;
esac
exit 0
