#!/usr/bin/env python3
"""Turns the JSON lines of benchmarks/run.sh into the markdown results file (stdout)."""
import argparse
import json
import os

SUBJECTS = ["direct", "nginx", "vertx", "switchboard", "portkey"]


def load(path):
    rows = []
    if os.path.exists(path):
        with open(path) as f:
            rows = [json.loads(line) for line in f if line.strip()]
    return rows


def find(rows, scenario, subject, concurrency):
    for r in rows:
        if r.get("scenario") == scenario and r.get("subject") == subject and r.get("concurrency") == concurrency:
            return r
    return None


def num(v, fmt="{:,.0f}"):
    return "—" if v is None else fmt.format(v)


def ms(us):
    return None if us is None else us / 1000.0


def mb(kb):
    return None if not kb else kb / 1024.0


def errors(r):
    keys = ("non2xx", "err_connect", "err_read", "err_write", "err_timeout")
    return sum(r.get(k, 0) for k in keys)


def verdict(ok):
    return "—" if ok is None else ("**met**" if ok else "**missed**")


def scenario1(rows, out):
    out.append("## Scenario 1: non-streaming small chat completion (wrk, keep-alive)\n")
    out.append("Added p50 = subject p50 − direct p50 at the same concurrency. CPU is the proxy's own "
               "(user+sys from /proc, nginx master+workers), per 1,000 requests. Peak RSS is VmHWM, "
               "reset before each run.\n")
    out.append("| subject | conc. | RPS | p50 ms | p99 ms | p99.9 ms | added p50 ms | CPU s / 1k req | peak RSS MB | errors |")
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    concs = sorted({r["concurrency"] for r in rows if r.get("scenario") == 1})
    for c in concs:
        d = find(rows, 1, "direct", c)
        for s in SUBJECTS:
            r = find(rows, 1, s, c)
            if r is None:
                continue
            if "rps" not in r:
                out.append(f"| {s} | {c} | error: {r.get('error')} |||||||")
                continue
            added = ms(r["p50_us"] - d["p50_us"]) if d and s != "direct" else None
            cpu_k = r["cpu_s"] / r["requests"] * 1000 if s != "direct" and r["requests"] else None
            out.append(f"| {s} | {c} | {num(r['rps'])} | {num(ms(r['p50_us']), '{:.2f}')} | "
                       f"{num(ms(r['p99_us']), '{:.2f}')} | {num(ms(r['p999_us']), '{:.2f}')} | "
                       f"{num(added, '{:.3f}')} | {num(cpu_k, '{:.3f}')} | "
                       f"{num(mb(r.get('peak_rss_kb')), '{:.0f}')} | {errors(r):,} |")
    out.append("")


def scenario2(rows, out):
    out.append("## Scenario 2: streaming, 200 tokens at 2 ms per token (JVM stream client)\n")
    out.append("Each of N streams is replaced as soon as it ends. TTFT is the time from sending the "
               "request to the first body bytes (the role chunk); overhead = subject − direct. Failed = "
               "non-200, error, or no `[DONE]`.\n")
    out.append("| subject | streams | streams/s | events/s | events/s vs direct | TTFT p50 ms | TTFT p99 ms | "
               "TTFT overhead p50 ms | stream p50 ms | failed | CPU s (incl. warm-up) | peak RSS MB |")
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    concs = sorted({r["concurrency"] for r in rows if r.get("scenario") == 2})
    for c in concs:
        d = find(rows, 2, "direct", c)
        for s in SUBJECTS:
            r = find(rows, 2, s, c)
            if r is None:
                continue
            if "events_per_s" not in r:
                out.append(f"| {s} | {c} | error: {r.get('error')} ||||||||||")
                continue
            t = r.get("ttfb_ms") or {}
            dt = (d or {}).get("ttfb_ms") or {}
            over = t["p50"] - dt["p50"] if t and dt and s != "direct" else None
            ratio = r["events_per_s"] / d["events_per_s"] if d and d.get("events_per_s") else None
            tot = (r.get("total_ms") or {}).get("p50")
            failed = r["failed"] + (1 if r.get("unfinished") else 0)
            note = f" ({r['first_error'][:80]})" if r.get("first_error") else ""
            out.append(f"| {s} | {c} | {num(r['streams_per_s'], '{:,.1f}')} | {num(r['events_per_s'])} | "
                       f"{num(ratio, '{:.3f}')} | {num(t.get('p50'), '{:.2f}')} | {num(t.get('p99'), '{:.2f}')} | "
                       f"{num(over, '{:.3f}')} | {num(tot, '{:.0f}')} | {failed}{note} | "
                       f"{num(r.get('cpu_s_incl_warmup') if s != 'direct' else None, '{:.2f}')} | "
                       f"{num(mb(r.get('peak_rss_kb')), '{:.0f}')} |")
    out.append("")


def part3(rows, part):
    return next((r for r in rows if r.get("scenario") == 3 and r.get("part") == part), None)


def scenario3(rows, out):
    out.append("## Scenario 3: translation, OpenAI client → Anthropic upstream (Switchboard only)\n")
    out.append("The client speaks Chat Completions; the model is served by a channel of `type: anthropic` "
               "whose base URL is the mock's `/v1`, so the gateway calls `POST /v1/messages` and translates "
               "the answer back (JSON, or SSE event by event). Same mocks, bodies and clients as scenarios 1 "
               "and 2 (the mock's Anthropic answers carry the same text, split into the same pieces, at the "
               "same delay per event). No other subject translates, so the comparison is with Switchboard's own "
               "pass-through (same concurrency, scenario 1 or 2 of this run) and with nginx.\n")
    skipped = part3(rows, "skipped")
    if skipped:
        out.append(f"Not measured: {skipped.get('error')}.\n")
        return
    a = part3(rows, "json")
    first = (a or {}).get("first_requests") or {}
    if first:
        parts = [f"{k}: " + (f"HTTP {v['status']} in {v['ms']:,} ms" if "ms" in v else f"failed ({v.get('error')!r})")
                 for k, v in first.items()]
        out.append("Before the warm-up, one request of each kind, waited for (the first translated requests "
                   "of this gateway process; seconds when nothing ran before them): " + "; ".join(parts) + ".\n")
    if a is not None:
        c = a["concurrency"]
        out.append(f"(a) non-stream, wrk at concurrency {c}:\n")
        out.append("| path | conc. | RPS | p50 ms | p99 ms | p99.9 ms | RPS vs pass-through | added p50 ms vs pass-through | "
                   "CPU s / 1k req | peak RSS MB | errors |")
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        if "rps" not in a:
            out.append(f"| translated | {c} | error: {a.get('error')} |||||||||")
        else:
            p = find(rows, 1, "switchboard", c)
            p = p if p and "rps" in p else None
            for label, r in (("pass-through (scenario 1)", p), ("translated → Anthropic", a)):
                if r is None:
                    continue
                ratio = r["rps"] / p["rps"] if p and r is a and p["rps"] else None
                added = ms(r["p50_us"] - p["p50_us"]) if p and r is a else None
                cpu_k = r["cpu_s"] / r["requests"] * 1000 if r["requests"] else None
                out.append(f"| {label} | {c} | {num(r['rps'])} | {num(ms(r['p50_us']), '{:.2f}')} | "
                           f"{num(ms(r['p99_us']), '{:.2f}')} | {num(ms(r['p999_us']), '{:.2f}')} | "
                           f"{num(ratio, '{:.2f}')} | {num(added, '{:.3f}')} | {num(cpu_k, '{:.3f}')} | "
                           f"{num(mb(r.get('peak_rss_kb')), '{:.0f}')} | {errors(r):,} |")
        out.append("")
    b = part3(rows, "stream")
    if b is not None:
        n = b["concurrency"]
        out.append(f"(b) streaming, {n} concurrent 200-token streams at 2 ms per event (JVM stream client; "
                   "TTFT = request sent to first body bytes; failed = non-200, error, or no `[DONE]`):\n")
        out.append("| path | streams | streams/s | events/s | events/s vs pass-through | TTFT p50 ms | TTFT p99 ms | "
                   "TTFT p50 vs pass-through ms | stream p50 ms | failed | CPU s (incl. warm-up) | peak RSS MB |")
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        if "events_per_s" not in b:
            out.append(f"| translated | {n} | error: {b.get('error')} ||||||||||")
        else:
            p = find(rows, 2, "switchboard", n)
            p = p if p and "events_per_s" in p else None
            for label, r in (("pass-through (scenario 2)", p), ("translated → Anthropic", b)):
                if r is None:
                    continue
                t = r.get("ttfb_ms") or {}
                pt = (p or {}).get("ttfb_ms") or {}
                other = r is b and p is not None
                ratio = r["events_per_s"] / p["events_per_s"] if other and p["events_per_s"] else None
                over = t["p50"] - pt["p50"] if other and t and pt else None
                failed = r["failed"] + (1 if r.get("unfinished") else 0)
                note = f" ({r['first_error'][:80]})" if r.get("first_error") else ""
                out.append(f"| {label} | {n} | {num(r['streams_per_s'], '{:,.1f}')} | {num(r['events_per_s'])} | "
                           f"{num(ratio, '{:.3f}')} | {num(t.get('p50'), '{:.2f}')} | {num(t.get('p99'), '{:.2f}')} | "
                           f"{num(over, '{:.3f}')} | {num((r.get('total_ms') or {}).get('p50'), '{:.0f}')} | "
                           f"{failed}{note} | {num(r.get('cpu_s_incl_warmup'), '{:.2f}')} | "
                           f"{num(mb(r.get('peak_rss_kb')), '{:.0f}')} |")
        out.append("")


def translation_target(rows, out):
    a = part3(rows, "json")
    if a is None or "rps" not in a:
        why = "not measured" if a is None else f"error: {a.get('error')}"
        out.append(f"| translation throughput ≥ 0.6× nginx's pass-through | {why} | — |")
        return
    c = a["concurrency"]
    ng = find(rows, 1, "nginx", c)
    if ng is None or "rps" not in ng:
        out.append(f"| translation throughput (c={c}) ≥ 0.6× nginx's pass-through | n/a: no scenario 1 nginx figure "
                   f"at c={c} in this run ({a['rps']:,.0f} RPS translated) | — |")
        return
    ratio = a["rps"] / ng["rps"]
    out.append(f"| translation throughput (c={c}) ≥ 0.6× nginx's pass-through | {ratio:.2f}× "
               f"({a['rps']:,.0f} vs {ng['rps']:,.0f} RPS) | {verdict(ratio >= 0.6)} |")


def scenario4(rows, out):
    out.append("## Scenario 4: 5,000 concurrent slow streams held open (one event per second)\n")
    out.append("| subject | streams | opened | open time s | failed opening | cut while held | "
               "RSS while held MB | peak RSS MB | CPU while held (cores) | CPU s total |")
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for s in SUBJECTS:
        r = find(rows, 4, s, next((x["concurrency"] for x in rows if x.get("scenario") == 4), None))
        if r is None:
            continue
        if "opened" not in r:
            out.append(f"| {s} | error: {r.get('error')} |||||||||")
            continue
        direct = s == "direct"
        note = f" ({r['first_error'][:80]})" if r.get("first_error") else ""
        out.append(f"| {s} | {r['streams']:,} | {r['opened']:,} | {num(r['open_s'], '{:.1f}')} | "
                   f"{r['failed_opening']}{note} | {r['cut_while_held']} | "
                   f"{num(None if direct else mb(r.get('rss_held_kb')), '{:.0f}')} | "
                   f"{num(None if direct else mb(r.get('peak_rss_kb')), '{:.0f}')} | "
                   f"{num(None if direct else r.get('cpu_s_per_s_held'), '{:.3f}')} | "
                   f"{num(None if direct else r.get('cpu_s_total'), '{:.2f}')} |")
    out.append("")


def targets(rows, out):
    out.append("## Targets of issue 7\n")
    out.append("| target | figure | verdict |")
    out.append("|---|---|---|")
    sb, ng, d, pk = (find(rows, 1, s, 64) for s in ("switchboard", "nginx", "direct", "portkey"))
    ok1 = lambda r: r is not None and "rps" in r
    if ok1(sb) and ok1(ng):
        ratio = sb["rps"] / ng["rps"]
        out.append(f"| c=64 throughput ≥ 0.8× nginx | {ratio:.2f}× ({sb['rps']:,.0f} vs {ng['rps']:,.0f} RPS) | {verdict(ratio >= 0.8)} |")
        cs = sb["cpu_s"] / sb["requests"] * 1000
        cn = ng["cpu_s"] / ng["requests"] * 1000
        out.append(f"| c=64 CPU per request ≤ 2× nginx | {cs / cn:.2f}× ({cs * 1000:.0f} vs {cn * 1000:.0f} ms CPU / 1k req) | {verdict(cs / cn <= 2)} |")
        if ok1(d):
            a_sb = (sb["p50_us"] - d["p50_us"]) / 1000
            a_ng = (ng["p50_us"] - d["p50_us"]) / 1000
            met = a_sb <= 2 * max(a_ng, 0)
            rel = f"{a_sb / a_ng:.2f}×" if a_ng > 0 else "n/a (nginx added ≤ 0)"
            out.append(f"| c=64 added p50 ≤ 2× nginx's | {rel} ({a_sb:.3f} vs {a_ng:.3f} ms) | {verdict(met)} |")
    else:
        out.append("| scenario 1 vs nginx | not measured | — |")
    floor_rows(sb, ng, find(rows, 1, "vertx", 64), out)
    if ok1(sb) and ok1(pk):
        r = sb["rps"] / pk["rps"] if pk["rps"] else float("inf")
        out.append(f"| ≥ 20× Portkey's throughput (c=64) | {r:.1f}× ({sb['rps']:,.0f} vs {pk['rps']:,.0f} RPS) | {verdict(r >= 20)} |")
    else:
        out.append("| ≥ 20× Portkey's throughput | Portkey not measured | — |")
    for c in sorted({r["concurrency"] for r in rows if r.get("scenario") == 2}):
        s2, d2 = find(rows, 2, "switchboard", c), find(rows, 2, "direct", c)
        if not (s2 and d2 and "events_per_s" in s2 and "events_per_s" in d2 and s2.get("ttfb_ms") and d2.get("ttfb_ms")):
            continue
        over = s2["ttfb_ms"]["p50"] - d2["ttfb_ms"]["p50"]
        out.append(f"| {c} streams: TTFT overhead p50 ≤ 1 ms | {over:.3f} ms | {verdict(over <= 1)} |")
        ratio = s2["events_per_s"] / d2["events_per_s"]
        out.append(f"| {c} streams: events/s equal to direct (≥ 0.98×) | {ratio:.3f}× ({s2['events_per_s']:,.0f} vs {d2['events_per_s']:,.0f}) | {verdict(ratio >= 0.98)} |")
        failed = s2["failed"] + (1 if s2.get("unfinished") else 0)
        out.append(f"| {c} streams: zero failed streams | {failed} failed of {s2['ok'] + s2['failed']:,} | {verdict(failed == 0)} |")
    translation_target(rows, out)
    s4 = find(rows, 4, "switchboard", next((x["concurrency"] for x in rows if x.get("scenario") == 4), None))
    if s4 and "opened" in s4:
        peak = s4["peak_rss_kb"] / 1024
        out.append(f"| {s4['streams']:,} open streams: RSS ≤ 512 MB | peak {peak:.0f} MB (while held {s4['rss_held_kb'] / 1024:.0f} MB) | {verdict(peak <= 512)} |")
        fails = s4["failed_opening"] + s4["cut_while_held"] + (s4["streams"] - s4["opened"] - s4["failed_opening"])
        out.append(f"| {s4['streams']:,} open streams: zero failures | {s4['opened']:,} opened, {s4['failed_opening']} failed, {s4['cut_while_held']} cut | {verdict(fails == 0)} |")
    out.append("")


def cpu_per_k(r):
    return r["cpu_s"] / r["requests"] * 1000 if r.get("requests") else None


def floor_rows(sb, ng, vx, out):
    """Context rows, not targets: the bare Vert.x proxy against nginx, and Switchboard against it."""
    def ratios(a, b):
        if not (a and b and "rps" in a and "rps" in b and b["rps"]):
            return "not measured"
        ca, cb = cpu_per_k(a), cpu_per_k(b)
        cpu = (f"{ca / cb:.2f}× CPU per request ({ca * 1000:.0f} vs {cb * 1000:.0f} ms CPU / 1k req)"
               if ca is not None and cb else "CPU per request not measured")
        return f"{a['rps'] / b['rps']:.2f}× throughput ({a['rps']:,.0f} vs {b['rps']:,.0f} RPS); {cpu}"
    out.append(f"| c=64 bare Vert.x proxy vs nginx (context, not a target) | {ratios(vx, ng)} | — |")
    out.append(f"| c=64 Switchboard vs bare Vert.x proxy (context, not a target) | {ratios(sb, vx)} | — |")


def jmh(path, out):
    if not path or not os.path.exists(path):
        return
    with open(path) as f:
        data = json.load(f)
    out.append("## JMH micro-benchmarks (`-f 1 -wi 2 -i 3 -w 1s -r 2s -prof gc`)\n")
    out.append("| benchmark | params | ns/op | ± | B/op |")
    out.append("|---|---|---:|---:|---:|")
    for b in data:
        name = b["benchmark"].rsplit(".", 2)
        name = ".".join(name[-2:])
        params = ", ".join(f"{k}={v}" for k, v in (b.get("params") or {}).items())
        pm = b["primaryMetric"]
        alloc = (b.get("secondaryMetrics") or {}).get("gc.alloc.rate.norm", {}).get("score")
        err = pm.get("scoreError")
        out.append(f"| {name} | {params} | {pm['score']:,.1f} | {num(err if isinstance(err, float) else None, '{:,.1f}')} | {num(alloc, '{:,.0f}')} |")
    out.append("")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--meta")
    ap.add_argument("--results")
    ap.add_argument("--jmh")
    ap.add_argument("--jfr")
    ap.add_argument("--warnings")
    a = ap.parse_args()
    with open(a.meta) as f:
        m = json.load(f)
    rows = load(a.results)
    out = [f"# Switchboard benchmarks, {m['date']}\n"]
    out.append(f"Command: `{m['command']}` (started {m['started_utc']} UTC, took {m['duration_s']} s"
               f"{', quick mode' if m['quick'] else ''}). Everything ran on 127.0.0.1 of one machine: "
               "load generator, mock upstream and subject share the same cores, so ratios count, "
               "not absolute figures.\n")
    out.append("## Machine and versions\n")
    out.append("| | |\n|---|---|")
    for k, label in (("commit", "Switchboard commit"), ("nproc", "cores"), ("cpu", "CPU"), ("memory", "memory"),
                     ("kernel", "kernel"), ("java", "JDK"), ("sb_java_opts", "Switchboard JVM flags"),
                     ("transport", "Switchboard transport"), ("nginx", "nginx"),
                     ("nginx_workers", "nginx worker_processes"), ("wrk", "wrk"), ("node", "node"),
                     ("portkey", "@portkey-ai/gateway"), ("open_files", "ulimit -n"), ("durations", "durations")):
        out.append(f"| {label} | {m.get(k, '')} |")
    out.append("")
    out.append("Subjects: **direct** (load client → mock), **nginx** (`proxy_buffering off`, HTTP/1.1 keep-alive "
               "upstream), **vertx** (a bare Vert.x 5 reverse proxy, `dev.switchboard.testing.BareProxy`: same "
               "transport, JVM flags and HTTP client settings as Switchboard, no gateway work — the floor for any "
               "Vert.x proxy), **switchboard** (one OpenAI channel per mock, plus two Anthropic channels on the 16-word "
               "and streaming mocks for scenario 3; SQLite, one client key), "
               "**portkey** (`x-portkey-provider: openai`, `x-portkey-custom-host` → mock). The mock upstream is "
               "`dev.switchboard.testing.MockUpstream` (Vert.x): 16-word answers for scenario 1, 200 words at "
               "2 ms per event for scenario 2 (the closing events, finish, usage and `[DONE]`, right after the last "
               "word), one event per second for scenario 4.\n")
    for s in m.get("skipped", []):
        out.append(f"- skipped subject: {s}")
    out.append("")
    targets(rows, out)
    if any(r.get("scenario") == 1 for r in rows):
        scenario1(rows, out)
    if any(r.get("scenario") == 2 for r in rows):
        scenario2(rows, out)
    if any(r.get("scenario") == 3 for r in rows):
        scenario3(rows, out)
    if any(r.get("scenario") == 4 for r in rows):
        scenario4(rows, out)
    out.append("## Gateway health\n")
    out.append(f"Switchboard process alive after the load: {m.get('switchboard_alive_after')}.\n")
    warn = open(a.warnings).read().strip() if a.warnings and os.path.exists(a.warnings) else ""
    if warn:
        out.append("WARN/ERROR log lines, grouped (count, message):\n\n```\n" + warn + "\n```\n")
    else:
        out.append("No WARN/ERROR lines in its log.\n")
    jmh(a.jmh, out)
    if a.jfr and os.path.exists(a.jfr) and os.path.getsize(a.jfr) > 0:
        out.append("## JFR profile of Switchboard, scenario 1 at concurrency 64\n")
        out.append(open(a.jfr).read())
    print("\n".join(out))


if __name__ == "__main__":
    main()
