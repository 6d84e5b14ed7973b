#!/usr/bin/env bash
# make demo: the whole import on this machine, nothing to install beyond the .NET SDK, kubectl and PostgreSQL's
# binaries. Builds (Release); starts PostgreSQL, the local control plane (API server + kubelet that runs runner
# Jobs as processes), a Grain fake with 40 recordings and the operator; applies the CRD and a demo Secret +
# ImportJob with kubectl; shows `kubectl get importjobs` until the import ends; says where the data went.
# Everything it started is stopped on exit. DEMO_KEEP=1 keeps it all running until Ctrl-C, to look around.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
STATE=$ROOT/.local/demo
CONFIGURATION=${CONFIGURATION:-Release}
BIN=bin/$CONFIGURATION/net10.0
export KUBECONFIG=$ROOT/.local/kubeconfig
PIDS=()

say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
fail() { printf '\033[31mdemo: %s\033[0m\n' "$*" >&2; exit 1; }

cleanup() {
  local code=$?
  trap - EXIT INT TERM
  if [[ -n ${KEEP_SLEEP:-} ]]; then kill "$KEEP_SLEEP" 2>/dev/null || true; fi
  if ((${#PIDS[@]})); then
    say "Cleaning up (operator, runners, Grain fake, control plane, PostgreSQL)"
    # Reverse order: the operator first, PostgreSQL last.
    for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
      kill -TERM "${PIDS[i]}" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "${PIDS[i]}" 2>/dev/null || break; sleep 0.2; done
      kill -KILL "${PIDS[i]}" 2>/dev/null || true
    done
  fi
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Waits for a signal. The sleep runs in the background and the shell waits on it, because bash runs a trap only
# once the foreground command ends: a foreground `sleep 3600` would hold off SIGTERM for up to an hour.
keep_running() {
  while :; do
    sleep 3600 >/dev/null 2>&1 &
    KEEP_SLEEP=$!
    wait "$KEEP_SLEEP"
  done
}

# Starts a background process logging to $STATE/<name>.log and waits for a line matching <pattern> (left in $STARTED).
start() {
  local name=$1 pattern=$2; shift 2
  "$@" >"$STATE/$name.log" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  for _ in $(seq 1 300); do
    if STARTED=$(grep -m1 -E "$pattern" "$STATE/$name.log" 2>/dev/null); then return 0; fi
    kill -0 "$pid" 2>/dev/null || { cat "$STATE/$name.log" >&2; fail "$name exited"; }
    sleep 0.2
  done
  cat "$STATE/$name.log" >&2
  fail "$name did not start within a minute"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

command -v dotnet >/dev/null || fail "the .NET SDK is needed (dotnet not found)"
command -v kubectl >/dev/null || fail "kubectl is needed"
rm -rf "$STATE" && mkdir -p "$STATE/media" "$STATE/kubectl-cache"
kc() { kubectl --cache-dir "$STATE/kubectl-cache" "$@"; }

say "Building ($CONFIGURATION)"
for project in src/ImportRunner src/Operator tools/LocalControlPlane tests/Support; do
  dotnet build "$project" -c "$CONFIGURATION" -nologo -v q -clp:ErrorsOnly >/dev/null || fail "build of $project failed"
done

say "Starting PostgreSQL"
start postgres '^connection string: ' dotnet "tests/Support/$BIN/CallImport.Testing.dll" postgres
DATABASE=${STARTED#connection string: }
PG_PORT=$(sed -E 's/.*Port=([0-9]+).*/\1/' <<<"$DATABASE")
echo "   $DATABASE"

say "Starting the local control plane (API server + kubelet)"
export LOCALCONTROLPLANE_IMAGE_COMMANDS="callimport/import-runner=dotnet $ROOT/src/ImportRunner/$BIN/ImportRunner.dll"
start control-plane 'ready at' dotnet "tools/LocalControlPlane/$BIN/LocalControlPlane.dll" --kubeconfig "$KUBECONFIG"
echo "   $STARTED"

say "Starting the Grain fake (40 recordings)"
GRAIN_PORT=$(free_port)
start grain-fake 'listening on' dotnet "tests/Support/$BIN/CallImport.Testing.dll" grain-fake --port "$GRAIN_PORT" --recordings 40 --api-key demo-key
GRAIN_URL=${STARTED##* }
echo "   $GRAIN_URL"

say "Applying the ImportJob CRD"
kc apply -f config/crd/

say "Starting the operator"
OPERATOR_PORT=$(free_port)
start operator 'Caches synced' env \
  Operator__DatabaseConnectionString="$DATABASE" \
  Operator__RunnerDatabaseConnectionString="$DATABASE" \
  Operator__RunnerStorage="file://$STATE/media/" \
  Operator__RunnerImage=callimport/import-runner:demo \
  Operator__RunnerEnvironment__CALLIMPORT_PLATFORM_RPS_OVERRIDE=15 \
  Operator__LeaseNamespace=default \
  Operator__HttpPort="$OPERATOR_PORT" \
  Operator__ProgressPollInterval=00:00:01 \
  Operator__LogFormat=text \
  dotnet "src/Operator/$BIN/Operator.dll"
echo "   /metrics, /healthz, /readyz on http://127.0.0.1:$OPERATOR_PORT (log: .local/demo/operator.log)"

say "Applying the demo Secret and ImportJob (samples/demo/grain-demo.yaml)"
sed "s#BASE_URL#$GRAIN_URL#" samples/demo/grain-demo.yaml >"$STATE/grain-demo.yaml"
kc apply -f "$STATE/grain-demo.yaml"

say "kubectl get importjobs, every 2 s, until the import ends"
phase=""
for _ in $(seq 1 150); do
  kc get importjobs demo-grain --no-headers 2>/dev/null | sed "s/^/   $(date +%T)  /" || true
  phase=$(kc get importjobs demo-grain -o jsonpath='{.status.phase}' 2>/dev/null || true)
  case "$phase" in Completed | Partial | Failed | Cancelled) break ;; esac
  sleep 2
done
echo
kc get importjobs
[[ $phase == Completed ]] || { tail -n 30 "$STATE/operator.log"; fail "the import ended $phase, not Completed"; }

say "What happened (kubectl describe importjob demo-grain, events)"
kc describe importjob demo-grain | sed -n '/^Events:/,$p'
echo "   The runner Job:"
kc get jobs -l callimport.io/importjob=demo-grain

say "Where the engagements went"
echo "   PostgreSQL table engagements (import_source = 'grain', import_batch_id = the ImportJob's UID):"
PSQL=(psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres)
if command -v psql >/dev/null; then
  "${PSQL[@]}" -c "SELECT count(*) AS engagements, count(transcript) AS with_transcript, min(started_at)::date AS first, max(started_at)::date AS last FROM engagements WHERE customer_id = 'demo-customer'"
  "${PSQL[@]}" -c "SELECT source_call_id, left(title, 40) AS title, metadata_quality, jsonb_array_length(participants) AS participants FROM engagements WHERE customer_id = 'demo-customer' ORDER BY started_at LIMIT 5"
fi
echo "   Look yourself: DEMO_KEEP=1 make demo keeps everything running; then ${PSQL[*]}"
echo "   Media: file://$STATE/media/{customerId}/{platform}/{sourceCallId}/… (Grain's API v2 offers no media download, so this demo stores transcripts only)."
echo "   The credentials Secret was deleted after the import completed (credentialsPolicy: DeleteAfterImport):"
kc get secret demo-grain-credentials 2>&1 | sed 's/^/   /' || true

if [[ ${DEMO_KEEP:-} == 1 ]]; then
  say "DEMO_KEEP=1: everything keeps running; KUBECONFIG=$KUBECONFIG. Ctrl-C stops it all."
  keep_running
fi
say "Demo done"
