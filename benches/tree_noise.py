#!/usr/bin/env python3
"""Noise on real code: secrets findings of git-hygiene and gitleaks on a corpus of project trees.

    benches/tree_noise.py CORPUS --bin PATH [--gitleaks PATH] [--sample N] [--seed S] [--out FILE]
                          [--recheck OLD_SAMPLE]

CORPUS is a directory holding one plain directory per project (no `.git` needed: `git hygiene
scan DIR` reads a tree as it is, honouring `.gitignore`). For each project it runs
`git hygiene --only secrets scan --format json DIR` and, when given, `gitleaks dir --redact` on
the same directory, and prints both counts per project and in total. Then it draws a seeded
random sample of N of git-hygiene's findings and writes it to FILE as tab-separated
`project  rule  path:line  message`, to be classified by hand. The sample never holds a secret:
only the rule, the place and the rule's message, never the snippet. A benchmark, not a test: it
asserts nothing.

With --recheck, a sample written by an earlier run (an earlier binary) is read back and each of
its findings marked `still` or `gone` in this run: what a fix removed from the classified sample.
"""
import argparse
import json
import os
import random
import subprocess
import sys
import tempfile


def hygiene_findings(binary, project):
    run = subprocess.run(
        [binary, "--only", "secrets", "scan", "--format", "json", "."],
        cwd=project,
        capture_output=True,
        text=True,
    )
    if run.returncode not in (0, 1):
        sys.exit(f"{binary} failed on {project} (exit {run.returncode}): {run.stderr.strip()}")
    report = json.loads(run.stdout)
    # Notes (skipped files, unread ones) are not findings of a secret.
    return [
        f
        for f in report["findings"]
        if f["rule"] not in ("skipped", "unreadable", "stale-baseline")
    ]


def gitleaks_count(gitleaks, project):
    with tempfile.NamedTemporaryFile(suffix=".json") as report:
        run = subprocess.run(
            [gitleaks, "dir", "--no-banner", "--redact", "--exit-code", "0",
             "--report-format", "json", "--report-path", report.name, project],
            capture_output=True,
            text=True,
        )
        if run.returncode != 0:
            sys.exit(f"gitleaks failed on {project}: {run.stderr.strip()[-400:]}")
        with open(report.name) as f:
            text = f.read()
        return len(json.loads(text)) if text.strip() else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus")
    ap.add_argument("--bin", required=True, help="the git-hygiene binary")
    ap.add_argument("--gitleaks", help="the gitleaks binary (counts only)")
    ap.add_argument("--sample", type=int, default=50)
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--out", default="tree_noise_sample.tsv")
    ap.add_argument("--recheck", help="a sample file of an earlier run: which of it is still found")
    args = ap.parse_args()

    projects = sorted(
        d for d in os.listdir(args.corpus) if os.path.isdir(os.path.join(args.corpus, d))
    )
    everything = []
    totals = [0, 0]
    print(f"{'project':<28} {'git-hygiene':>11} {'gitleaks':>9}")
    for name in projects:
        path = os.path.join(args.corpus, name)
        found = hygiene_findings(args.bin, path)
        everything += [(name, f) for f in found]
        leaks = gitleaks_count(args.gitleaks, path) if args.gitleaks else None
        totals[0] += len(found)
        totals[1] += leaks or 0
        print(f"{name:<28} {len(found):>11} {'-' if leaks is None else leaks:>9}", flush=True)
    print(f"{'TOTAL':<28} {totals[0]:>11} {totals[1] if args.gitleaks else '-':>9}")

    by_rule = {}
    for _, f in everything:
        by_rule[f["rule"]] = by_rule.get(f["rule"], 0) + 1
    print("\nby rule:", ", ".join(f"{r} {n}" for r, n in sorted(by_rule.items(), key=lambda x: -x[1])))

    sample = random.Random(args.seed).sample(everything, min(args.sample, len(everything)))
    with open(args.out, "w") as out:
        for i, (name, f) in enumerate(sample, 1):
            out.write(f"{i}\t{name}\t{f['rule']}\t{f['path']}:{f['line']}\t{f['message']}\n")
    print(f"\nsample of {len(sample)} (seed {args.seed}) written to {args.out}")

    if args.recheck:
        now = {(name, f["rule"], f"{f['path']}:{f['line']}") for name, f in everything}
        gone = 0
        with open(args.recheck) as old:
            for row in old:
                n, name, rule, place = row.rstrip("\n").split("\t")[:4]
                state = "still" if (name, rule, place) in now else "gone"
                gone += state == "gone"
                print(f"{n}\t{state}\t{rule}\t{name}/{place}")
        print(f"{gone} of the earlier sample are no longer reported")


if __name__ == "__main__":
    main()
