#!/usr/bin/env python3
"""Summarises jdk.ExecutionSample events of a JFR file as markdown: top frames, top
dev.switchboard frames, and allocation by class when jdk.ObjectAllocationSample is present."""
import collections
import subprocess
import sys


def stacks(path, event):
    text = subprocess.run(["jfr", "print", "--events", event, "--stack-depth", "64", path],
                          capture_output=True, text=True, check=True).stdout
    current, frames, weight, cls = None, [], 1, None
    for line in text.splitlines():
        s = line.strip()
        if s == event + " {":
            current, frames, weight, cls = True, [], 1, None
        elif s.startswith("stackTrace = ["):
            current = "stack"
        elif current == "stack" and s == "]":
            current = True
        elif current == "stack" and s and s != "...":
            frames.append(s.split("  line:")[0].split(" line:")[0])
        elif s.startswith("weight = "):
            w = s.split("=", 1)[1].strip().split()[0].replace(",", "")
            try:
                mult = {"kB": 1024, "MB": 1 << 20, "GB": 1 << 30}.get(s.split()[-1], 1)
                weight = float(w) * mult
            except ValueError:
                weight = 1
        elif s.startswith("objectClass = "):
            cls = s.split("=", 1)[1].strip().split(" (")[0]
        elif s == "}" and current is not None and current != "stack":
            yield frames, weight, cls
            current = None


def table(title, counter, total, n=15):
    lines = [f"**{title}** ({total:,.0f} samples)\n", "| share | frame |", "|---:|---|"]
    for frame, c in counter.most_common(n):
        lines.append(f"| {100.0 * c / total:.1f}% | `{frame}` |")
    return "\n".join(lines) + "\n"


def main():
    path = sys.argv[1]
    top = collections.Counter()
    ours = collections.Counter()
    total = 0
    for frames, _, _ in stacks(path, "jdk.ExecutionSample"):
        if not frames:
            continue
        total += 1
        top[frames[0]] += 1
        for f in frames:
            if f.startswith("dev.switchboard."):
                ours[f] += 1
                break
    out = []
    if total:
        out.append(table("Top frames (CPU samples, all threads)", top, total))
        out.append(table("First dev.switchboard frame on the stack", ours, total))
    alloc = collections.Counter()
    atotal = 0
    try:
        for frames, weight, cls in stacks(path, "jdk.ObjectAllocationSample"):
            site = next((f for f in frames if f.startswith("dev.switchboard.")), frames[0] if frames else "?")
            alloc[f"{cls} @ {site}"] += weight
            atotal += weight
    except subprocess.CalledProcessError:
        pass
    if atotal:
        lines = ["**Allocation (sampled weight), by class and first dev.switchboard frame**\n",
                 "| share | class @ site |", "|---:|---|"]
        for k, w in alloc.most_common(12):
            lines.append(f"| {100.0 * w / atotal:.1f}% | `{k}` |")
        out.append("\n".join(lines) + "\n")
    print("\n".join(out) if out else "No execution samples recorded.\n")


if __name__ == "__main__":
    main()
