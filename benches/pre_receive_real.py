#!/usr/bin/env python3
"""A real push judged by a server's pre-receive hook: git-hygiene's, gitleaks', or none.

    benches/pre_receive_real.py REPO [--commits N] [--runs R] [--bin PATH] [--gitleaks PATH]

REPO is a clone with history (the reference is rust-lang/cargo, 23,077 commits). A bare server
borrows REPO's objects (objects/info/alternates) with `main` at HEAD~N; each run pushes HEAD to a
new branch `feature/bench-push` from REPO with the client's hooks off, then deletes it, so every
run judges the same N first-parent commits (and the commits their merges bring). The hooks:
- git-hygiene: the shim `git hygiene install` writes in a bare repository;
- gitleaks: `gitleaks git --log-opts=OLD..NEW` per pushed ref, as its docs suggest for servers;
- none: the floor, git's own receive-pack.
Runs are interleaved (the order rotates each round); medians and per-round ratios to the floor
are printed. A benchmark, not a test: it asserts nothing about time.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

GITLEAKS_HOOK = """#!/bin/sh
# One gitleaks run per pushed ref (new branches: everything not on an existing ref).
status=0
while read -r old new ref; do
  case $new in 0000000000000000000000000000000000000000) continue ;; esac
  case $old in
    0000000000000000000000000000000000000000) range="$new --not --branches" ;;
    *) range="$old..$new" ;;
  esac
  {gitleaks} git --no-banner --redact --log-opts="$range" . || status=1
done
exit $status
"""


def git(*args, cwd=None):
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                          text=True).stdout.strip()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("repo")
    ap.add_argument("--commits", type=int, default=100)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--bin", default=os.path.join(os.path.dirname(__file__), "..", "target",
                                                  "release", "git-hygiene"))
    ap.add_argument("--gitleaks", default=shutil.which("gitleaks"))
    args = ap.parse_args()
    repo, binary = os.path.abspath(args.repo), os.path.abspath(args.bin)
    objects = git("rev-parse", "--path-format=absolute", "--git-path", "objects", cwd=repo)
    base = git("rev-parse", f"HEAD~{args.commits}", cwd=repo)
    count = git("rev-list", "--count", f"{base}..HEAD", cwd=repo)
    with tempfile.TemporaryDirectory() as scratch:
        on_path = os.path.join(scratch, "bin")
        os.makedirs(on_path)
        os.symlink(binary, os.path.join(on_path, "git-hygiene"))
        env = dict(os.environ, PATH=f"{on_path}:{os.environ['PATH']}")
        server = os.path.join(scratch, "server.git")
        git("init", "-q", "--bare", "-b", "main", server)
        with open(os.path.join(server, "objects", "info", "alternates"), "w") as f:
            f.write(objects + "\n")
        git("update-ref", "refs/heads/main", base, cwd=server)
        subprocess.run([binary, "install"], cwd=server, env=env, check=True, capture_output=True)
        hooks = {"git-hygiene": os.path.join(server, "hooks")}
        none = os.path.join(scratch, "no-hooks")
        os.makedirs(none)
        hooks["none"] = none
        if args.gitleaks:
            leaks = os.path.join(scratch, "gitleaks-hooks")
            os.makedirs(leaks)
            path = os.path.join(leaks, "pre-receive")
            with open(path, "w") as f:
                f.write(GITLEAKS_HOOK.replace("{gitleaks}", args.gitleaks))
            os.chmod(path, 0o755)
            hooks["gitleaks"] = leaks

        def push(name):
            git("config", "core.hooksPath", hooks[name], cwd=server)
            t = time.perf_counter()
            subprocess.run(["git", "-c", "core.hooksPath=/dev/null", "push", "--no-verify", "-q",
                            server, "HEAD:refs/heads/feature/bench-push"], cwd=repo, env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            elapsed = time.perf_counter() - t
            subprocess.run(["git", "update-ref", "-d", "refs/heads/feature/bench-push"],
                           cwd=server, capture_output=True)
            return elapsed

        names = list(hooks)
        times = {n: [] for n in names}
        ratios = {n: [] for n in names}
        for i in range(args.runs + 1):
            order = names[i % len(names):] + names[:i % len(names)]
            got = {n: push(n) for n in order}
            if i == 0:
                continue  # warm-up round
            for n in names:
                times[n].append(got[n])
                ratios[n].append(got[n] / got["none"])
        print(f"{repo}: push of HEAD to a new branch, {count} commits past HEAD~{args.commits}; "
              f"{args.runs} rounds")
        for n in names:
            print(f"  pre-receive {n:12} {statistics.median(times[n]) * 1e3:9.1f} ms"
                  f"   {statistics.median(ratios[n]):6.2f}× no hook")
        if "gitleaks" in times:
            r = statistics.median(a / b for a, b in zip(times["gitleaks"], times["git-hygiene"]))
            print(f"  gitleaks / git-hygiene: {r:.2f}×")


if __name__ == "__main__":
    sys.exit(main())
