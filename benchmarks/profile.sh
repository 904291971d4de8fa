#!/usr/bin/env bash
# Noise-robust cost of one Switchboard request: bytes allocated and CPU time per request under a
# bounded wrk load, for before/after comparisons of code changes on a busy machine (where RPS
# and latency are not comparable between runs).
#
#   benchmarks/profile.sh [--kind small|stream|translate] [--conc 64] [--warm 8] [--secs 10] [--jfr FILE]
#                         [--asprof FILE] [--stream-ttft N]
#
# --kind: the scenario-1 body (small), a 200-event stream at 2 ms per event (stream, one
# request = one whole stream), or the scenario-3 body through an Anthropic channel (translate).
# Starts the 16-word mock (and, with --stream-ttft, the 200-word 2 ms streaming mock) and
# Switchboard from target/switchboard.jar (build it first: mvn -q -B package -DskipTests) with
# SB_JAVA_OPTS (default -Xms64m -Xmx512m -XX:+UseSerialGC), all on 127.0.0.1; warms up, then
# brackets one wrk run with `jcmd PID Thread.print -e` (allocated bytes and CPU per thread) and
# /proc/PID/stat; prints one line per measure. --jfr records that run with settings=profile;
# --asprof writes async-profiler's CPU samples of that run to FILE (collapsed stacks, for
# flame graphs or grep; the agent comes from Maven Central).
# --stream-ttft N: after that, N sequential streams (one at a time), direct and through the
# gateway, and the median time to the first body bytes of each. Stops everything it started.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/benchmarks
KIND=small CONC=64 WARM=8 SECS=10 JFR="" ASPROF="" TTFT=0
while [ $# -gt 0 ]; do
  case "$1" in
    --kind) KIND=$2; shift ;;
    --conc) CONC=$2; shift ;;
    --warm) WARM=$2; shift ;;
    --secs) SECS=$2; shift ;;
    --jfr) JFR=$2; shift ;;
    --asprof) ASPROF=$2; shift ;;
    --stream-ttft) TTFT=$2; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
SB_JAVA_OPTS=${SB_JAVA_OPTS:--Xms64m -Xmx512m -XX:+UseSerialGC}
CP_FILE=$ROOT/target/bench-test-cp.txt
[ -f "$CP_FILE" ] || (cd "$ROOT" && mvn -q -B dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=test)
TESTCP="$ROOT/target/test-classes:$ROOT/target/classes:$(cat "$CP_FILE")"
WORK=$(mktemp -d /tmp/switchboard-profile.XXXXXX)
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  [ "${KEEP_WORK:-0}" = 1 ] && echo "kept $WORK" >&2 || rm -rf "$WORK"
}
trap cleanup EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 1 600); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }

M=$(port); MS=$(port); P=$(port)
java -Xms256m -Xmx1g -cp "$TESTCP" dev.switchboard.testing.MockUpstream --port "$M" --content-words 16 >"$WORK/mock.log" 2>&1 &
PIDS+=($!)
java -Xms256m -Xmx1g -cp "$TESTCP" dev.switchboard.testing.MockUpstream --port "$MS" --content-words 200 --delay-ms 2 >"$WORK/mocks.log" 2>&1 &
PIDS+=($!)
KEY=sk-bench-client-0123456789abcdef
cat >"$WORK/sb.yaml" <<EOF
server: { host: 127.0.0.1, port: $P, instances: 0, shutdownGrace: 2s }
database: { type: sqlite, url: $WORK/switchboard.db }
security: { masterKeyFile: $WORK/master.key }
channels:
  - { name: small, type: openai, baseUrls: [http://127.0.0.1:$M/v1], keys: [sk-up], models: [mock-small] }
  - { name: stream, type: openai, baseUrls: [http://127.0.0.1:$MS/v1], keys: [sk-up], models: [mock-stream] }
  - { name: anthropic-small, type: anthropic, baseUrls: [http://127.0.0.1:$M/v1], keys: [sk-up], models: [bench-anthropic] }
apiKeys:
  - { name: bench, key: $KEY }
EOF
# shellcheck disable=SC2086
java $SB_JAVA_OPTS -jar "$ROOT/target/switchboard.jar" --config "$WORK/sb.yaml" >"$WORK/sb.log" 2>&1 &
SB=$!
PIDS+=($SB)
wait_port "$M" && wait_port "$MS" && wait_port "$P" || { tail -20 "$WORK/sb.log" >&2; exit 1; }

case $KIND in
  small) printf '{"model":"mock-small","messages":[{"role":"system","content":"You are terse."},{"role":"user","content":"Say hello in one short sentence."}],"max_tokens":32}' >"$WORK/body.json" ;;
  stream) printf '{"model":"mock-stream","messages":[{"role":"user","content":"Write two hundred words."}],"stream":true}' >"$WORK/body.json" ;;
  translate) printf '{"model":"bench-anthropic","messages":[{"role":"system","content":"You are terse."},{"role":"user","content":"Say hello in one short sentence."}],"max_tokens":32}' >"$WORK/body.json" ;;
esac
# async-profiler's agent from Maven Central (tools.profiler:async-profiler, linux-x64), unpacked once
asprof_lib() {
  local v=4.1 dir=$ROOT/target/async-profiler jar
  if [ ! -f "$dir/linux-x64/libasyncProfiler.so" ]; then
    jar=$HOME/.m2/repository/tools/profiler/async-profiler/$v/async-profiler-$v-linux-x64.jar
    [ -f "$jar" ] || mvn -q -B dependency:get -Dartifact=tools.profiler:async-profiler:$v:jar:linux-x64 >&2
    mkdir -p "$dir" && (cd "$dir" && unzip -qo "$jar")
  fi
  echo "$dir/linux-x64/libasyncProfiler.so"
}
load() { BENCH_BODY_FILE=$WORK/body.json BENCH_HEADERS="Authorization: Bearer $KEY" \
  wrk -t2 -c"$CONC" -d"$1"s --timeout 10s -s "$BENCH/lib/post.lua" "http://127.0.0.1:$P/v1/chat/completions" 2>&1; }
# one thread dump (jcmd Thread.print -e: per-thread "allocated=" and "cpu=") into FILE
dump() { jcmd "$SB" Thread.print -e >"$1" 2>/dev/null; }
# a dump's allocated bytes and CPU summed over every thread alive, and the event loops' CPU
threads() { python3 -c '
import re,sys
a=c=e=0.0
m={"K":1<<10,"M":1<<20,"G":1<<30}
for l in sys.stdin:
    x=re.search(r" cpu=([0-9.]+)ms .*allocated=([0-9.]+)([KMGB]?)",l)
    if x:
        c+=float(x.group(1)); a+=float(x.group(2))*m.get(x.group(3),1)
        if l.startswith("\"vert.x-eventloop-thread-"): e+=float(x.group(1))
print(int(a), c, e)' <"$1"; }
# context switches of every thread of the gateway (each cross-thread hand-off wakes a thread)
switches() { cat /proc/"$SB"/task/*/status 2>/dev/null | awk '/_ctxt_switches/ {s += $2} END {print s}'; }
ticks() { local s; s=$(cat "/proc/$SB/stat"); s=${s##*) }; set -- $s; echo $(( ${12} + ${13} )); }

load "$WARM" >/dev/null
if [ -n "$JFR" ]; then jcmd "$SB" JFR.start name=p settings=profile filename="$JFR" >/dev/null; fi
if [ -n "$ASPROF" ]; then
  LIB=$(asprof_lib)
  jcmd "$SB" JVMTI.agent_load "$LIB" "\"start,event=cpu,interval=1ms\"" >/dev/null  # quoted: jcmd would take a=b as its own argument
fi
# a dump's CPU ms per thread group (the name without its numbers), to see where the time went
groups() { python3 -c '
import re,sys,json
g={}
for l in sys.stdin:
    x=re.match(r"\"([^\"]*)\".* cpu=([0-9.]+)ms",l)
    if x: k=re.sub(r"[0-9]+","N",x.group(1)); g[k]=g.get(k,0)+float(x.group(2))
print(json.dumps(g))' <"$1"; }
dump "$WORK/threads0"; T0=$(ticks); X0=$(switches)
OUT=$(load "$SECS")
T1=$(ticks); X1=$(switches); dump "$WORK/threads1"
read -r A0 C0 E0 < <(threads "$WORK/threads0"); read -r A1 C1 E1 < <(threads "$WORK/threads1")
G0=$(groups "$WORK/threads0"); G1=$(groups "$WORK/threads1")
if [ -n "$JFR" ]; then jcmd "$SB" JFR.stop name=p >/dev/null; fi
if [ -n "$ASPROF" ]; then jcmd "$SB" JVMTI.agent_load "$LIB" "\"stop,collapsed,file=$ASPROF\"" >/dev/null; fi
N=$(grep '^RESULT ' <<<"$OUT" | sed 's/^RESULT //' | jq '.requests')
NON2XX=$(grep '^RESULT ' <<<"$OUT" | sed 's/^RESULT //' | jq '.non2xx')
HZ=$(getconf CLK_TCK)
python3 - "$N" "$NON2XX" "$A0" "$A1" "$C0" "$C1" "$T0" "$T1" "$HZ" "$E0" "$E1" "$X0" "$X1" "$KIND" "$CONC" <<'EOF'
import sys
n,bad,a0,a1,c0,c1,t0,t1,hz,e0,e1,x0,x1=(float(x) for x in sys.argv[1:14])
print(f"kind={sys.argv[14]} conc={sys.argv[15]} requests={int(n)} non2xx={int(bad)}")
print(f"context switches/request (all gateway threads): {(x1-x0)/n:.2f}")
print(f"event-loop thread CPU ms/1k requests (jcmd): {(e1-e0)/n*1000:.1f}")
print(f"allocated bytes/request (threads alive at both ends): {(a1-a0)/n:,.0f}")
print(f"thread CPU ms/1k requests (jcmd): {(c1-c0)/n*1000:.1f}")
print(f"process CPU ms/1k requests (/proc stat): {(t1-t0)/hz*1000/n*1000:.1f}")
EOF
python3 - "$N" "$G0" "$G1" <<'EOF'
import sys,json
n=float(sys.argv[1]); g0=json.loads(sys.argv[2]); g1=json.loads(sys.argv[3])
for v,k in sorted((((g1[k]-g0.get(k,0))/n*1000,k) for k in g1), reverse=True):
    if v>=0.5: print(f"  thread CPU ms/1k requests, {k}: {v:.1f}")
EOF

if [ -n "${HOLD:-}" ]; then echo "ports mock=$M stream=$MS gw=$P key=$KEY"; sleep "$HOLD"; fi
if [ "$TTFT" -gt 0 ]; then
  printf '{"model":"mock-stream","messages":[{"role":"user","content":"Write two hundred words."}],"stream":true}' >"$WORK/stream.json"
  ttft() { # url auth -> median ms to the first byte over TTFT sequential streams
    local i
    for i in $(seq 1 "$TTFT"); do
      curl -s -o /dev/null -w '%{time_starttransfer}\n' -H "Authorization: Bearer $2" -H 'content-type: application/json' \
        --data-binary @"$WORK/stream.json" "$1"
    done | sort -n | awk '{v[NR]=$1} END {printf "%.3f", v[int((NR+1)/2)]*1000}'
  }
  ttft "http://127.0.0.1:$MS/v1/chat/completions" sk-up >/dev/null  # warm the mock
  ttft "http://127.0.0.1:$P/v1/chat/completions" "$KEY" >/dev/null
  D=$(ttft "http://127.0.0.1:$MS/v1/chat/completions" sk-up)
  G=$(ttft "http://127.0.0.1:$P/v1/chat/completions" "$KEY")
  echo "stream TTFT median over $TTFT sequential streams: direct ${D} ms, gateway ${G} ms"
fi
