#!/usr/bin/env bash
# Switchboard benchmarks (issue 7): direct vs nginx vs a bare Vert.x proxy vs Switchboard vs Portkey,
# side by side.
#
#   benchmarks/run.sh [--quick | --smoke] [--jmh | --no-jmh] [--profile] [--subjects "direct nginx ..."]
#                     [--scenarios "1 2 4"] [--out FILE]
#
# Builds what it needs, starts every subject on 127.0.0.1, runs bounded load, stops everything
# it started by PID and writes benchmarks/results/<date>.md. It reports; it never asserts.
#   --quick     short runs (about 5 minutes in all); JMH only with --jmh
#   --smoke     a seconds-long sanity check of the harness at low concurrency (figures meaningless)
#   --jmh       run the JMH micro-benchmarks (default in a full run); --no-jmh skips them
#   --profile   after scenario 1, one more (unmeasured) c=64 run of Switchboard under JFR, summarised
#   --subjects  any of direct nginx vertx switchboard portkey (default all five); vertx is
#               dev.switchboard.testing.BareProxy, a bare Vert.x reverse proxy (the platform's floor)
# Env: SB_JAVA_OPTS (JVM flags of Switchboard and of the vertx proxy, default the recommended
#      "-Xms64m -Xmx512m -XX:+UseSerialGC"; set it to " " for JVM defaults), NGINX_WORKERS
#      (default auto), KEEP_WORK=1 keeps the temporary directory with every log.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/benchmarks
QUICK=0
JMH=auto
PROFILE=0
SUBJECTS="direct nginx vertx switchboard portkey"
SCENARIOS="1 2 3 4"
OUT=""
COMMAND="benchmarks/run.sh $*"
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --smoke) QUICK=2 ;;
    --jmh) JMH=1 ;;
    --no-jmh) JMH=0 ;;
    --profile) PROFILE=1 ;;
    --subjects) SUBJECTS=$2; shift ;;
    --scenarios) SCENARIOS=$2; shift ;;
    --out) OUT=$2; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done
if [ "$JMH" = auto ]; then JMH=$([ "$QUICK" = 0 ] && echo 1 || echo 0); fi

if [ "$QUICK" = 2 ]; then
  D1=2; WARM1=1; D2=2; WARM2=1; HOLD=5; CONC1="16"; STREAMS2="20"; STREAMS4=200; CONC3=16; STREAMS3=20
elif [ "$QUICK" = 1 ]; then
  D1=6; WARM1=5; D2=6; WARM2=3; HOLD=8; CONC1="16 64 256"; STREAMS2="100 1000"; STREAMS4=5000; CONC3=64; STREAMS3=100
else
  D1=15; WARM1=20; D2=15; WARM2=10; HOLD=20; CONC1="16 64 256"; STREAMS2="100 1000"; STREAMS4=5000; CONC3=64; STREAMS3=100
fi
NGINX_WORKERS=${NGINX_WORKERS:-auto}
SB_JAVA_OPTS=${SB_JAVA_OPTS:--Xms64m -Xmx512m -XX:+UseSerialGC}
CLIENT_KEY=sk-bench-client-0123456789abcdef
UPSTREAM_KEY=sk-bench-upstream-not-secret

WORK=$(mktemp -d /tmp/switchboard-bench.XXXXXX)
RESULTS=$WORK/results.jsonl
: > "$RESULTS"
PIDS=()
START_EPOCH=$(date +%s)

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

cleanup() {
  local pid i
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    pid=${PIDS[$i]}
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
  done
  if [ "${KEEP_WORK:-0}" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- tools and builds
apt_install() {
  DEBIAN_FRONTEND=noninteractive apt-get install -y "$@" >"$WORK/apt.log" 2>&1 || {
    apt-get update >>"$WORK/apt.log" 2>&1
    DEBIAN_FRONTEND=noninteractive apt-get install -y "$@" >>"$WORK/apt.log" 2>&1
  }
}
command -v wrk >/dev/null || { log "installing wrk"; apt_install wrk; }
command -v nginx >/dev/null || { log "installing nginx-light"; apt_install nginx-light; }
command -v python3 >/dev/null || { log "installing python3"; apt_install python3; }
command -v jq >/dev/null || { log "installing jq"; apt_install jq; }

ulimit -n "$(ulimit -Hn)" 2>/dev/null || ulimit -n 65536 2>/dev/null || true
log "open files limit: $(ulimit -n); work dir $WORK"

log "building the gateway jar and the test classpath (mock upstream, stream load client)"
# the code measured: the commit built, and whether the work tree differed from it
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
[ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ] && COMMIT="$COMMIT (with uncommitted changes)"
(cd "$ROOT" && mvn -q -B package dependency:build-classpath -DskipTests \
    -Dmdep.outputFile="$WORK/cp.txt" -Dmdep.includeScope=test >"$WORK/mvn.log" 2>&1) \
  || { tail -50 "$WORK/mvn.log" >&2; exit 1; }
TESTCP="$ROOT/target/test-classes:$ROOT/target/classes:$(cat "$WORK/cp.txt")"

# Portkey, pinned; @hono/node-server overridden to 1.14.2 because later ones make Portkey's answers
# fail with "TypeError: immutable" on Node (Portkey-AI/gateway issue 1389).
PORTKEY_WANTED=${PORTKEY_VERSION:-1.15.2}
PORTKEY_VERSION=""
PORTKEY_DIR=$BENCH/.work/portkey
PORTKEY_PKG=$PORTKEY_DIR/node_modules/@portkey-ai/gateway/package.json
HONO_PKG=$PORTKEY_DIR/node_modules/@hono/node-server/package.json  # hoisted by the override
if [[ " $SUBJECTS " == *" portkey "* ]] && command -v npm >/dev/null && command -v node >/dev/null; then
  if [ "$(jq -r .version "$PORTKEY_PKG" 2>/dev/null)" != "$PORTKEY_WANTED" ] \
      || [ "$(jq -r .version "$HONO_PKG" 2>/dev/null)" != 1.14.2 ]; then
    log "installing @portkey-ai/gateway@$PORTKEY_WANTED from npm into $PORTKEY_DIR"
    mkdir -p "$PORTKEY_DIR"
    printf '{"name":"portkey-bench","private":true,"dependencies":{"@portkey-ai/gateway":"%s"},"overrides":{"@hono/node-server":"1.14.2"}}\n' \
      "$PORTKEY_WANTED" >"$PORTKEY_DIR/package.json"
    rm -rf "$PORTKEY_DIR/node_modules" "$PORTKEY_DIR/package-lock.json"
    (cd "$PORTKEY_DIR" && timeout 300 npm install --no-audit --no-fund >"$WORK/npm.log" 2>&1) \
      || log "npm install of @portkey-ai/gateway failed (see npm.log)"
  fi
  PORTKEY_VERSION=$(jq -r .version "$PORTKEY_PKG" 2>/dev/null || true)
fi

# ---------------------------------------------------------------- processes
NEXT_PORT=19100
alloc_port() { # VAR: the next free port on 127.0.0.1 into VAR
  while ss -Htln "sport = :$NEXT_PORT" | grep -q .; do NEXT_PORT=$((NEXT_PORT + 1)); done
  printf -v "$1" '%s' "$NEXT_PORT"
  NEXT_PORT=$((NEXT_PORT + 1))
}

wait_port() { # port seconds pid
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    kill -0 "$3" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# start NAME PORT CMD... : starts in the background, remembers its PID in PID_<NAME>
start() {
  local name=$1 port=$2
  shift 2
  "$@" >"$WORK/$name.log" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  printf -v "PID_$name" '%s' "$pid"
  if wait_port "$port" 60 "$pid"; then
    log "$name up on 127.0.0.1:$port (pid $pid)"
  else
    log "$name did not start; last log lines:"; tail -20 "$WORK/$name.log" >&2
    return 1
  fi
}

MOCK_JAVA=(java -Xms256m -Xmx1g -cp "$TESTCP" dev.switchboard.testing.MockUpstream)
alloc_port M_SMALL; alloc_port M_STREAM; alloc_port M_SLOW
start mock_small "$M_SMALL" "${MOCK_JAVA[@]}" --port "$M_SMALL" --content-words 16
start mock_stream "$M_STREAM" "${MOCK_JAVA[@]}" --port "$M_STREAM" --content-words 200 --delay-ms 2
start mock_slow "$M_SLOW" "${MOCK_JAVA[@]}" --port "$M_SLOW" --content-words 600 --delay-ms 1000

mock_port() { case $1 in small) echo "$M_SMALL" ;; stream) echo "$M_STREAM" ;; slow) echo "$M_SLOW" ;; esac; }

ACTIVE=()
SKIPPED=()
if [[ " $SUBJECTS " == *" direct "* ]]; then ACTIVE+=(direct); fi

if [[ " $SUBJECTS " == *" nginx "* ]]; then
  alloc_port P_NGINX
  mkdir -p "$WORK/nginx/tmp" "$WORK/nginx/logs"
  cat >"$WORK/nginx/nginx.conf" <<EOF
worker_processes $NGINX_WORKERS;
worker_rlimit_nofile 65536;
error_log $WORK/nginx/logs/error.log warn;
events { worker_connections 20000; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/tmp/body;
  proxy_temp_path $WORK/nginx/tmp/proxy;
  fastcgi_temp_path $WORK/nginx/tmp/fastcgi;
  uwsgi_temp_path $WORK/nginx/tmp/uwsgi;
  scgi_temp_path $WORK/nginx/tmp/scgi;
  upstream small { server 127.0.0.1:$M_SMALL; keepalive 256; }
  upstream stream { server 127.0.0.1:$M_STREAM; keepalive 1024; }
  upstream slow { server 127.0.0.1:$M_SLOW; keepalive 256; }
  server {
    listen 127.0.0.1:$P_NGINX backlog=4096;
    keepalive_requests 1000000;
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_buffering off;
    proxy_request_buffering off;
    proxy_read_timeout 300s;
    location /small/ { proxy_pass http://small/; }
    location /stream/ { proxy_pass http://stream/; }
    location /slow/ { proxy_pass http://slow/; }
  }
}
EOF
  if start nginx "$P_NGINX" nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g "daemon off; pid $WORK/nginx/nginx.pid;"; then
    ACTIVE+=(nginx)
  else
    SKIPPED+=("nginx: did not start")
  fi
fi

# The floor of any Vert.x proxy: no gateway work, Switchboard's JVM flags, transport and client settings.
if [[ " $SUBJECTS " == *" vertx "* ]]; then
  alloc_port P_VERTX
  # shellcheck disable=SC2086
  if start vertx "$P_VERTX" java $SB_JAVA_OPTS -cp "$TESTCP" dev.switchboard.testing.BareProxy --port "$P_VERTX" \
      --route small="$M_SMALL" --route stream="$M_STREAM" --route slow="$M_SLOW"; then
    ACTIVE+=(vertx)
  else
    SKIPPED+=("vertx: did not start")
  fi
fi

if [[ " $SUBJECTS " == *" switchboard "* ]]; then
  alloc_port P_SB
  cat >"$WORK/switchboard.yaml" <<EOF
server: { host: 127.0.0.1, port: $P_SB, instances: 0, shutdownGrace: 2s }
database: { type: sqlite, url: $WORK/switchboard.db }
security: { masterKeyFile: $WORK/master.key }
channels:
  - { name: small, type: openai, baseUrls: [http://127.0.0.1:$M_SMALL/v1], keys: [$UPSTREAM_KEY], models: [mock-small] }
  - { name: stream, type: openai, baseUrls: [http://127.0.0.1:$M_STREAM/v1], keys: [$UPSTREAM_KEY], models: [mock-stream] }
  - { name: slow, type: openai, baseUrls: [http://127.0.0.1:$M_SLOW/v1], keys: [$UPSTREAM_KEY], models: [mock-slow] }
  # scenario 3: the same two mocks spoken to in Anthropic Messages (POST <baseUrl>/messages)
  - { name: anthropic-small, type: anthropic, baseUrls: [http://127.0.0.1:$M_SMALL/v1], keys: [$UPSTREAM_KEY], models: [bench-anthropic] }
  - { name: anthropic-stream, type: anthropic, baseUrls: [http://127.0.0.1:$M_STREAM/v1], keys: [$UPSTREAM_KEY], models: [bench-anthropic-stream] }
apiKeys:
  - { name: bench, key: $CLIENT_KEY }
EOF
  # shellcheck disable=SC2086
  if start switchboard "$P_SB" java $SB_JAVA_OPTS -jar "$ROOT/target/switchboard.jar" --config "$WORK/switchboard.yaml"; then
    ACTIVE+=(switchboard)
  else
    SKIPPED+=("switchboard: did not start")
  fi
fi

if [[ " $SUBJECTS " == *" portkey "* ]]; then
  if [ -z "$PORTKEY_VERSION" ]; then
    SKIPPED+=("portkey: @portkey-ai/gateway could not be installed (npm/node missing or install failed)")
    log "skipping portkey: not installed"
  else
    alloc_port P_PORTKEY
    if start portkey "$P_PORTKEY" node "$PORTKEY_DIR/node_modules/@portkey-ai/gateway/build/start-server.js" \
        --port="$P_PORTKEY" --headless; then
      ACTIVE+=(portkey)
    else
      SKIPPED+=("portkey: installed but did not start")
    fi
  fi
fi

url_for() { # subject kind
  case $1 in
    direct) echo "http://127.0.0.1:$(mock_port "$2")/v1/chat/completions" ;;
    nginx) echo "http://127.0.0.1:$P_NGINX/$2/v1/chat/completions" ;;
    vertx) echo "http://127.0.0.1:$P_VERTX/$2/v1/chat/completions" ;;
    switchboard) echo "http://127.0.0.1:$P_SB/v1/chat/completions" ;;
    portkey) echo "http://127.0.0.1:$P_PORTKEY/v1/chat/completions" ;;
  esac
}
headers_for() { # subject kind -> "Name: value|Name: value"
  case $1 in
    switchboard) echo "Authorization: Bearer $CLIENT_KEY" ;;
    portkey) echo "Authorization: Bearer $UPSTREAM_KEY|x-portkey-provider: openai|x-portkey-custom-host: http://127.0.0.1:$(mock_port "$2")/v1" ;;
    *) echo "Authorization: Bearer $UPSTREAM_KEY" ;;
  esac
}

# ---------------------------------------------------------------- measuring a subject
pids_of() { # the subject's processes: the proxy itself (nginx: master and workers)
  case $1 in
    direct) ;;
    nginx) echo "$PID_nginx"; ps --ppid "$PID_nginx" -o pid= ;;
    vertx) echo "$PID_vertx" ;;
    switchboard) echo "$PID_switchboard" ;;
    portkey) echo "$PID_portkey" ;;
  esac
}
cpu_ticks() {
  local sum=0 pid stat
  for pid in $(pids_of "$1"); do
    stat=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
    stat=${stat##*) }
    # shellcheck disable=SC2086
    set -- $stat
    sum=$((sum + ${12} + ${13}))
  done
  echo $sum
}
reset_peak() {
  local pid
  for pid in $(pids_of "$1"); do echo 5 >"/proc/$pid/clear_refs" 2>/dev/null || true; done
}
mem_kb() { # subject field(VmHWM|VmRSS)
  local sum=0 pid v
  for pid in $(pids_of "$1"); do
    v=$(awk -v f="$2:" '$1 == f {print $2}' "/proc/$pid/status" 2>/dev/null || true)
    sum=$((sum + ${v:-0}))
  done
  echo $sum
}
CLK_TCK=$(getconf CLK_TCK)

record() { # json-line extra-jq-fields...
  jq -c "$2" <<<"$1" >>"$RESULTS" || log "could not record: $1"
}

body_file() { # kind -> file
  local f=$WORK/body-$1.json
  if [ ! -f "$f" ]; then
    case $1 in
      small) printf '{"model":"mock-small","messages":[{"role":"system","content":"You are terse."},{"role":"user","content":"Say hello in one short sentence."}],"max_tokens":32}' >"$f" ;;
      stream) printf '{"model":"mock-stream","messages":[{"role":"user","content":"Write two hundred words."}],"stream":true}' >"$f" ;;
      slow) printf '{"model":"mock-slow","messages":[{"role":"user","content":"Take your time."}],"stream":true}' >"$f" ;;
      # scenario 3: the bodies of scenarios 1 and 2, for models served by the Anthropic channels
      translate) printf '{"model":"bench-anthropic","messages":[{"role":"system","content":"You are terse."},{"role":"user","content":"Say hello in one short sentence."}],"max_tokens":32}' >"$f" ;;
      translate-stream) printf '{"model":"bench-anthropic-stream","messages":[{"role":"user","content":"Write two hundred words."}],"stream":true}' >"$f" ;;
    esac
  fi
  echo "$f"
}

run_wrk() { # subject concurrency seconds [body kind, default small] -> RESULT json on stdout
  # every non-stream body is answered by the 16-word mock (scenario 3's through an Anthropic channel)
  local threads=2 kind=${4:-small}
  local txt=$WORK/wrk-$1-$kind-$2.txt
  BENCH_BODY_FILE=$(body_file "$kind") BENCH_HEADERS=$(headers_for "$1" small) \
    wrk -t$threads -c"$2" -d"$3"s --timeout 10s --latency -s "$BENCH/lib/post.lua" "$(url_for "$1" small)" \
    >"$txt" 2>&1 || true
  grep '^RESULT ' "$txt" | sed 's/^RESULT //' || echo '{"error":"wrk produced no result"}'
}

stream_load() { # subject kind args... -> RESULT json on stdout
  local subject=$1 kind=$2 h args=()
  shift 2
  IFS='|' read -r -a hs <<<"$(headers_for "$subject" "$kind")"
  for h in "${hs[@]}"; do args+=(--header "$h"); done
  java -Xmx2g -cp "$TESTCP" dev.switchboard.bench.StreamLoad --url "$(url_for "$subject" "$kind")" \
    --body-file "$(body_file "$kind")" "${args[@]}" "$@"
}

# ---------------------------------------------------------------- scenarios
scenario1() {
  local s c json t0 t1
  for s in "${ACTIVE[@]}"; do
    log "scenario 1: $s warm-up ${WARM1}s at concurrency 64"
    run_wrk "$s" 64 "$WARM1" >/dev/null
    for c in $CONC1; do
      reset_peak "$s"
      t0=$(cpu_ticks "$s")
      json=$(run_wrk "$s" "$c" "$D1")
      t1=$(cpu_ticks "$s")
      record "$json" ". + {scenario:1, subject:\"$s\", concurrency:$c, cpu_s:($((t1 - t0))/$CLK_TCK), peak_rss_kb:$(mem_kb "$s" VmHWM)}"
      log "scenario 1: $s c=$c $(jq -c '{rps,p50_us,p99_us,p999_us,non2xx,err_read,err_connect,err_timeout}' <<<"$json")"
    done
    if [ "$PROFILE" = 1 ] && [ "$s" = switchboard ]; then
      # an extra run, not in the tables: JFR's own cost must not touch the measured figures
      log "scenario 1: switchboard c=64 again for ${D1}s with JFR (not measured)"
      if jcmd "$PID_switchboard" JFR.start name=bench settings=profile filename="$WORK/switchboard-c64.jfr" >/dev/null 2>&1; then
        run_wrk "$s" 64 "$D1" >/dev/null
        jcmd "$PID_switchboard" JFR.stop name=bench >/dev/null 2>&1 || true
        python3 "$BENCH/lib/jfr_summary.py" "$WORK/switchboard-c64.jfr" >"$WORK/jfr-summary.md" 2>"$WORK/jfr-summary.err" || true
      fi
    fi
  done
}

scenario2() {
  local s n out t0 t1
  for s in "${ACTIVE[@]}"; do
    for n in $STREAMS2; do
      log "scenario 2: $s $n streams (${WARM2}s warm-up, ${D2}s measured)"
      reset_peak "$s"
      t0=$(cpu_ticks "$s")
      out=$(stream_load "$s" stream --streams "$n" --duration-s "$D2" --warmup-s "$WARM2" --label "$s" 2>"$WORK/stream-$s-$n.err" || true)
      t1=$(cpu_ticks "$s")
      local json
      json=$(grep '^RESULT ' <<<"$out" | sed 's/^RESULT //' || true)
      [ -n "$json" ] || json='{"error":"stream load produced no result"}'
      record "$json" ". + {scenario:2, subject:\"$s\", concurrency:$n, cpu_s_incl_warmup:($((t1 - t0))/$CLK_TCK), peak_rss_kb:$(mem_kb "$s" VmHWM)}"
      log "scenario 2: $s n=$n $(jq -c '{ok,failed,events_per_s,ttfb_p50:.ttfb_ms.p50,ttfb_p99:.ttfb_ms.p99,first_error}' <<<"$json")"
    done
  done
}

# Scenario 3: an OpenAI Chat client served by Anthropic channels (the gateway translates the
# request to POST <baseUrl>/messages and the answer, JSON or SSE, back to Chat Completions).
# Switchboard only (whatever --subjects says): no other subject, vertx and nginx included, translates. (a) non-stream as scenario 1, (b) streams as
# scenario 2, against the same two mocks, which answer in Anthropic's wire format.
scenario3() {
  if [ -z "${PID_switchboard:-}" ] || ! kill -0 "$PID_switchboard" 2>/dev/null; then
    log "scenario 3: skipped: switchboard is not running"
    record '{}' '{scenario:3, subject:"switchboard", part:"skipped", error:"switchboard not running"}'
    return
  fi
  local s=switchboard json out t0 t1 first kind
  # One request of each kind first, waited for: the gateway's first request after start-up takes
  # seconds (one-time initialisation), longer than the --smoke warm-up when scenario 3 runs alone.
  first={}
  for kind in translate translate-stream; do
    out=$(curl -s -o /dev/null --max-time 60 -w '%{http_code} %{time_total}' -H "$(headers_for "$s" small)" \
      -H 'content-type: application/json' --data-binary @"$(body_file "$kind")" "$(url_for "$s" small)" || true)
    first=$(jq -c --arg k "$kind" --arg w "$out" '. + {($k): (try {status: ($w | split(" ")[0] | tonumber),
      ms: ($w | split(" ")[1] | tonumber * 1000 | round)} catch {error: $w})}' <<<"$first" || echo "$first")
  done
  log "scenario 3: first translated requests (status, ms): $first"
  log "scenario 3a: $s translated non-stream, warm-up ${WARM1}s at concurrency $CONC3"
  run_wrk "$s" "$CONC3" "$WARM1" translate >/dev/null
  reset_peak "$s"
  t0=$(cpu_ticks "$s")
  json=$(run_wrk "$s" "$CONC3" "$D1" translate)
  t1=$(cpu_ticks "$s")
  record "$json" ". + {scenario:3, part:\"json\", subject:\"$s\", first_requests:$first, concurrency:$CONC3, cpu_s:($((t1 - t0))/$CLK_TCK), peak_rss_kb:$(mem_kb "$s" VmHWM)}"
  log "scenario 3a: $s c=$CONC3 $(jq -c '{rps,p50_us,p99_us,p999_us,non2xx,err_read,err_connect,err_timeout}' <<<"$json")"

  log "scenario 3b: $s translated, $STREAMS3 streams (${WARM2}s warm-up, ${D2}s measured)"
  reset_peak "$s"
  t0=$(cpu_ticks "$s")
  out=$(stream_load "$s" translate-stream --streams "$STREAMS3" --duration-s "$D2" --warmup-s "$WARM2" --label "$s-translate" \
    2>"$WORK/stream-$s-translate-$STREAMS3.err" || true)
  t1=$(cpu_ticks "$s")
  json=$(grep '^RESULT ' <<<"$out" | sed 's/^RESULT //' || true)
  [ -n "$json" ] || json='{"error":"stream load produced no result"}'
  record "$json" ". + {scenario:3, part:\"stream\", subject:\"$s\", concurrency:$STREAMS3, cpu_s_incl_warmup:($((t1 - t0))/$CLK_TCK), peak_rss_kb:$(mem_kb "$s" VmHWM)}"
  log "scenario 3b: $s n=$STREAMS3 $(jq -c '{ok,failed,events_per_s,ttfb_p50:.ttfb_ms.p50,ttfb_p99:.ttfb_ms.p99,first_error}' <<<"$json")"
}

scenario4() {
  local s pid out t0 t1 ta tb rss_hold
  for s in "${ACTIVE[@]}"; do
    log "scenario 4: $s $STREAMS4 slow streams held ${HOLD}s"
    reset_peak "$s"
    t0=$(cpu_ticks "$s")
    out=$WORK/hold-$s.out
    stream_load "$s" slow --mode hold --streams "$STREAMS4" --hold-s "$HOLD" --open-timeout-s 60 --label "$s" \
      >"$out" 2>"$WORK/hold-$s.err" &
    pid=$!
    PIDS+=("$pid")
    ta=""; tb=""; rss_hold=0
    while kill -0 "$pid" 2>/dev/null; do
      if [ -z "$ta" ] && grep -q '^HOLDING' "$out"; then
        ta=$(cpu_ticks "$s")
        sleep $((HOLD - 2))
        tb=$(cpu_ticks "$s")
        rss_hold=$(mem_kb "$s" VmRSS)
      fi
      sleep 0.2
    done
    wait "$pid" || true
    t1=$(cpu_ticks "$s")
    local json
    json=$(grep '^RESULT ' "$out" | sed 's/^RESULT //' || true)
    [ -n "$json" ] || json='{"error":"hold load produced no result"}'
    local hold_cpu=null
    [ -n "$tb" ] && hold_cpu="($((tb - ta))/$CLK_TCK/$((HOLD - 2)))"
    record "$json" ". + {scenario:4, subject:\"$s\", concurrency:$STREAMS4, cpu_s_total:($((t1 - t0))/$CLK_TCK), cpu_s_per_s_held:$hold_cpu, rss_held_kb:$rss_hold, peak_rss_kb:$(mem_kb "$s" VmHWM)}"
    log "scenario 4: $s $(jq -c '{opened,failed_opening,cut_while_held,first_error}' <<<"$json")"
    sleep 2
  done
}

for sc in $SCENARIOS; do
  case $sc in
    1) scenario1 ;;
    2) scenario2 ;;
    3) scenario3 ;;
    4) scenario4 ;;
  esac
done

# ---------------------------------------------------------------- gateway health after the load
if [ -n "${PID_switchboard:-}" ]; then
  if kill -0 "$PID_switchboard" 2>/dev/null; then SB_ALIVE=yes; else SB_ALIVE=no; fi
  # lines look like "2026-12-01T22:14:38.666Z [WARN] ProxyHandler - req_<id> ..."; ids blanked to group
  # them, and the throwaway admin password the first start prints kept out of the results
  grep -E '^[^ ]+ \[?(WARN|ERROR)\]? ' "$WORK/switchboard.log" \
    | sed -E 's/^[^ ]+ //; s/req_[0-9a-f]+/req_*/g; s/(with password )[^ ]+/\1<not shown>/' | cut -c1-200 \
    | sort | uniq -c | sort -rn | head -15 >"$WORK/switchboard-warnings.txt" || true
else
  SB_ALIVE=n/a
  : >"$WORK/switchboard-warnings.txt"
fi

# ---------------------------------------------------------------- JMH
if [ "$JMH" = 1 ]; then
  log "JMH micro-benchmarks"
  if (cd "$BENCH/jmh" && mvn -q -B package dependency:build-classpath -Dmdep.outputFile="$WORK/jmh-cp.txt" >"$WORK/jmh-mvn.log" 2>&1); then
    java -cp "$BENCH/jmh/target/classes:$(cat "$WORK/jmh-cp.txt")" org.openjdk.jmh.Main \
      -f 1 -wi 2 -i 3 -w 1s -r 2s -prof gc -rf json -rff "$WORK/jmh.json" >"$WORK/jmh.log" 2>&1 \
      || log "JMH failed; see jmh.log"
  else
    log "JMH build failed"; tail -30 "$WORK/jmh-mvn.log" >&2
  fi
fi

# ---------------------------------------------------------------- report
cat >"$WORK/meta.json" <<EOF
{
  "date": "$(date -u +%Y-%m-%d)",
  "started_utc": "$(date -u -d @"$START_EPOCH" +%H:%M:%S)",
  "duration_s": $(($(date +%s) - START_EPOCH)),
  "command": "$COMMAND",
  "quick": $QUICK,
  "nproc": "$(nproc)",
  "cpu": "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')",
  "memory": "$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)",
  "kernel": "$(uname -r)",
  "commit": "$COMMIT",
  "transport": "$(grep -o 'transport: [a-z_]*' "$WORK/switchboard.log" 2>/dev/null | head -1 | cut -d' ' -f2 || true)",
  "java": "$(java -version 2>&1 | sed -n 2p)",
  "nginx": "$(nginx -v 2>&1 | sed 's/.*nginx\///')",
  "nginx_workers": "$NGINX_WORKERS ($( [ -n "${PID_nginx:-}" ] && ps --ppid "$PID_nginx" -o pid= | wc -l || echo 0) workers)",
  "wrk": "$(wrk -v 2>&1 | head -1 | awk '{print $2}')",
  "node": "$(node -v 2>/dev/null || echo none)",
  "portkey": "${PORTKEY_VERSION:-not installed}",
  "sb_java_opts": "${SB_JAVA_OPTS:-(JVM defaults)}",
  "open_files": "$(ulimit -n)",
  "durations": "scenario 1: ${WARM1}s warm-up + ${D1}s per concurrency; scenario 2: ${WARM2}s warm-up + ${D2}s; scenario 3: as 1 at c=$CONC3 and as 2 at $STREAMS3 streams; scenario 4: hold ${HOLD}s",
  "switchboard_alive_after": "$SB_ALIVE",
  "skipped": $(printf '%s\n' "${SKIPPED[@]+"${SKIPPED[@]}"}" | jq -R . | jq -sc 'map(select(length > 0))'),
  "scenarios": "$SCENARIOS"
}
EOF
DATE=$(date -u +%Y-%m-%d)
OUT=${OUT:-$BENCH/results/$DATE.md}
mkdir -p "$(dirname "$OUT")"
python3 "$BENCH/lib/report.py" --meta "$WORK/meta.json" --results "$RESULTS" \
  --jmh "$WORK/jmh.json" --jfr "$WORK/jfr-summary.md" --warnings "$WORK/switchboard-warnings.txt" >"$OUT"
cp "$RESULTS" "${OUT%.md}.jsonl"
log "wrote $OUT ($(($(date +%s) - START_EPOCH)) s)"
