#!/usr/bin/env bash
# Runs the benchmark mock upstream (dev.switchboard.testing.MockUpstream, Vert.x, from the test
# classpath) in the foreground:
#
#   benchmarks/mock/mock.sh --port 19000 --content-words 16                 # small answers
#   benchmarks/mock/mock.sh --port 19001 --content-words 200 --delay-ms 2   # 200 events, 2 ms apart
#   benchmarks/mock/mock.sh --port 19002 --content-words 600 --delay-ms 1000  # slow streams
#
# It answers POST /v1/chat/completions with JSON, or SSE when the body has "stream": true
# (one content event per word, then finish, usage when asked for, [DONE]). The delay applies
# between stream events up to the last content event; the closing events follow it at once,
# as the real APIs send them (--delay-closing true delays them too). benchmarks/run.sh starts
# its mocks the same way.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CP=$ROOT/target/bench-test-cp.txt
if [ ! -f "$CP" ] || [ ! -d "$ROOT/target/test-classes/dev/switchboard/testing" ]; then
  (cd "$ROOT" && mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile="$CP" -Dmdep.includeScope=test)
fi
exec java -Xms256m -Xmx1g -cp "$ROOT/target/test-classes:$ROOT/target/classes:$(cat "$CP")" \
  dev.switchboard.testing.MockUpstream "$@"
