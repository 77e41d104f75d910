#!/usr/bin/env bash
# A wrk harness (BENCH_DIR/run.sh) against this service and a hand-written
# reference server (BENCH_DIR/baselines/raw-node), alternating, each on an
# emptied database with a VACUUM ANALYZE after setup. The harness is not part
# of this repository (docs/PERFORMANCE.md); `npm run bench` needs nothing else.
#
#   scripts/bench-vs-reference.sh [ROUNDS="100 10"]
#
# Environment: BENCH_DIR (required), PG (postgres://postgres@127.0.0.1:5432),
# SVC_PORT/REF_PORT (4140/4149), SVC_DB/REF_DB, RESULTS (perf/harness-<date>.jsonl), LOG_LEVEL
# (warn; info writes the access log).
# The reference runs from a private copy (with its own node_modules), so the
# shared folder is left untouched. Stops the servers it started, by PID.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS="${1:-100 10}"
if [ ! -f "${BENCH_DIR:-}/run.sh" ] || [ ! -d "${BENCH_DIR:-}/baselines/raw-node" ]; then
  echo "BENCH_DIR must name the wrk harness folder (run.sh, baselines/raw-node): see docs/PERFORMANCE.md" >&2
  exit 2
fi
BENCH_DIR="$(cd "$BENCH_DIR" && pwd)"
PG="${PG:-postgres://postgres@127.0.0.1:5432}"
SVC_PORT="${SVC_PORT:-4140}"; REF_PORT="${REF_PORT:-4149}"
SVC_DB="${SVC_DB:-taskwell_bench_4_svc}"; REF_DB="${REF_DB:-taskwell_bench_4_raw}"
export RESULTS="${RESULTS:-$PWD/perf/harness-$(date -u +%Y%m%d).jsonl}"
export LOG_DIR="${LOG_DIR:-/tmp/taskwell-bench-logs}"
WORK="$(mktemp -d)"
mkdir -p "$(dirname "$RESULTS")" "$LOG_DIR"

REF_COPY="$WORK/baselines"
mkdir -p "$REF_COPY"
cp -r "$BENCH_DIR/baselines/raw-node" "$BENCH_DIR/baselines/schema.sql" "$REF_COPY/"
(cd "$REF_COPY/raw-node" && npm ci --no-audit --no-fund --silent)

PIDS=()
cleanup() { local p; for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

recreate() { psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1"; }
wait_ready() {
  for _ in $(seq 1 100); do curl -fs "$1/health/ready" >/dev/null && return 0; sleep 0.3; done
  echo "not ready: $1" >&2; return 1
}

start_service() {
  NODE_ENV=production PORT="$SVC_PORT" DATABASE_URL="$PG/$SVC_DB" DB_POOL_SIZE=10 LOG_LEVEL="${LOG_LEVEL:-warn}" \
    RATE_LIMIT_AUTH_PER_MINUTE=1000000 RATE_LIMIT_LOGIN_FAILURES_PER_MINUTE=1000000 \
    RATE_LIMIT_WRITES_PER_MINUTE=100000000 RATE_LIMIT_WRITES_BURST=1000000 DB_MAX_CONCURRENT_PER_USER=100 \
    JWT_SECRET="$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')" JWT_ACCESS_TTL=3600 \
    node dist/src/main.js > "$LOG_DIR/service.log" 2>&1 &
  PIDS+=("$!"); SVC_PID="$!"
  wait_ready "http://127.0.0.1:$SVC_PORT"
}
start_reference() {
  PORT="$REF_PORT" DATABASE_URL="$PG/$REF_DB" node "$REF_COPY/raw-node/baseline-raw-node.mjs" > "$LOG_DIR/reference.log" 2>&1 &
  PIDS+=("$!"); REF_PID="$!"
  wait_ready "http://127.0.0.1:$REF_PORT"
}

npm run build --silent
recreate "$SVC_DB"; recreate "$REF_DB"
start_service; start_reference
# Informative only: the smoke test registers with "password123", which our password policy rejects as common.
node "$BENCH_DIR/baselines/smoke.mjs" "http://127.0.0.1:$SVC_PORT" 2>/dev/null | tail -1 | sed 's/^/[smoke service] /' >&2 || true

for conns in $ROUNDS; do
  for impl in reference service; do
    if [ "$impl" = service ]; then port=$SVC_PORT db=$SVC_DB pid=$SVC_PID; else port=$REF_PORT db=$REF_DB pid=$REF_PID; fi
    # Empty tables, same schema: the running server keeps its pool and prepared statements valid.
    psql "$PG/$db" -qc 'TRUNCATE users CASCADE' -c 'VACUUM ANALYZE'
    echo "[bench] $impl, $conns connections" >&2
    LABEL="$impl" SERVER_PID="$pid" DATA_FILE="$WORK/data-$impl-$conns.txt" \
      AFTER_SETUP="psql '$PG/$db' -qc 'VACUUM ANALYZE'" \
      "$BENCH_DIR/run.sh" "http://127.0.0.1:$port" 20 "$conns"
  done
done
echo "[bench] results: $RESULTS" >&2
