#!/usr/bin/env bash
# Starts the built service with no DATABASE_URL (embedded engine) on a temporary
# data folder and a spare port; registers, creates and lists a task over HTTP;
# restarts it; and checks that the task is still there.
set -euo pipefail
cd "$(dirname "$0")/.."

DATA_DIR="$(mktemp -d)"
PORT="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
BASE="http://127.0.0.1:$PORT"
LOG="$DATA_DIR/service.log"
PID=""

stop() { [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null || true; PID=""; }
trap 'stop; rm -rf "$DATA_DIR"' EXIT

start() {
  env -u DATABASE_URL DATA_DIR="$DATA_DIR" PORT="$PORT" NODE_ENV=development LOG_LEVEL=warn \
    node dist/src/main.js >>"$LOG" 2>&1 &
  PID=$!
  for _ in $(seq 1 120); do
    curl -fsS "$BASE/health/ready" >/dev/null 2>&1 && return 0
    kill -0 "$PID" 2>/dev/null || { cat "$LOG"; echo "service exited"; exit 1; }
    sleep 0.5
  done
  cat "$LOG"; echo "service did not become ready"; exit 1
}

json() { node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const v=JSON.parse(s);console.log($1)})"; }

[ -f dist/src/main.js ] || npm run build
start
EMAIL="smoke-$(date +%s)@example.com"
TOKEN="$(curl -fsS -X POST "$BASE/api/auth/register" -H 'Content-Type: application/json' \
  -d "{\"email\":\"$EMAIL\",\"password\":\"smoke-test-password-1\"}" | json 'v.data.tokens.accessToken')"
TASK_ID="$(curl -fsS -X POST "$BASE/api/tasks" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d '{"title":"Survive a restart"}' | json 'v.data.id')"
[ "$(curl -fsS "$BASE/api/tasks" -H "Authorization: Bearer $TOKEN" | json 'v.meta.total')" = 1 ]

stop
start
FOUND="$(curl -fsS "$BASE/api/tasks/$TASK_ID" -H "Authorization: Bearer $TOKEN" | json 'v.data.title')"
[ "$FOUND" = "Survive a restart" ] || { echo "task lost across restart"; exit 1; }
echo "smoke test passed: task $TASK_ID survived a restart on the embedded engine"
