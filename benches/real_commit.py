#!/usr/bin/env python3
"""A real commit with git-hygiene's hooks, timed side by side with its floors in one interleaved run.

    benches/real_commit.py REPO [--runs N] [--bin PATH] [--peers NPM_PROJECT]

REPO is a clone with a change staged. The reference change is 10 files of rust-lang/cargo
(+483 -43, 394 KiB):

    git clone -q https://github.com/rust-lang/cargo && cd cargo
    git checkout -q 665c82fb6aa8c0a55b305debe8d4d87a7f52e606
    git checkout d9248a2b414d0858d41c7ee397ce67d977178d3a -- .
    git switch -q -c feature/bench-commit

Each pair runs A then B (B first on odd rounds) and the ratio A/B is taken within the pair, so a
machine whose speed drifts still gives a fair ratio; medians are printed. The pairs:
- `git commit` with the four hooks `git hygiene install` writes / with no hooks at all;
- the floors of that ratio, which no hook tool can go below: the same commit with three hooks
  that only `exit 0` (what git and `sh` cost), and with three that only start git-hygiene
  (`--version`) / with no hooks;
- the pre-commit hook / `git diff --cached -U0` (reading what is staged, git's floor);
- commit-msg and prepare-commit-msg / `git-hygiene --version` (process start-up);
- with --peers DIR (an npm project with husky 9, lint-staged, commitlint and gitleaks on PATH, as
  teams glue them today; see `peer_hooks`): their commit / git-hygiene's commit.
Every commit is undone with `git reset --soft`, so the staged change stays as it was.
A benchmark, not a test: it asserts nothing about time.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def run(argv, cwd, env=None):
    t = time.perf_counter()
    p = subprocess.run(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - t
    if p.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed ({p.returncode}): {p.stderr.decode(errors='replace')[-400:]}")
    return elapsed


def git(repo, *args):
    return subprocess.run(["git", "-C", repo, *args], check=True, capture_output=True,
                          text=True).stdout.strip()


def hygiene_hooks(binary, scratch):
    """The hooks `git hygiene install` writes, copied out of a scratch repository."""
    demo = os.path.join(scratch, "install-demo")
    subprocess.run(["git", "init", "-q", demo], check=True)
    subprocess.run([binary, "install"], cwd=demo, check=True, capture_output=True)
    hooks = os.path.join(scratch, "hygiene-hooks")
    os.makedirs(hooks)
    for name in ("pre-commit", "prepare-commit-msg", "commit-msg", "pre-push"):
        shutil.copy2(os.path.join(demo, ".git", "hooks", name), hooks)
    return hooks


def peer_hooks(project, scratch):
    """husky 9's hooks for pre-commit (lint-staged, then gitleaks on what is staged) and
    commit-msg (commitlint), written the way `husky init` lays them out. The project holds
    lint-staged.config.json and commitlint.config.js (extending config-conventional)."""
    hooks = os.path.join(scratch, "peer-hooks")
    os.makedirs(hooks)
    bin_dir = os.path.join(project, "node_modules", ".bin")
    scripts = {
        "pre-commit": f'{bin_dir}/lint-staged --cwd "$PWD" --config {project}/lint-staged.config.json\n'
                      "gitleaks git --pre-commit --redact --staged --no-banner\n",
        "commit-msg": f'{bin_dir}/commitlint --config {project}/commitlint.config.js --edit "$1"\n',
    }
    for name, body in scripts.items():
        path = os.path.join(hooks, name)
        with open(path, "w") as f:
            f.write("#!/bin/sh\nset -e\n" + body)
        os.chmod(path, 0o755)
    return hooks


def floor_hooks(scratch, name, body):
    """pre-commit, prepare-commit-msg and commit-msg as `sh` scripts that only run `body`."""
    hooks = os.path.join(scratch, name)
    os.makedirs(hooks)
    for hook in ("pre-commit", "prepare-commit-msg", "commit-msg"):
        path = os.path.join(hooks, hook)
        with open(path, "w") as f:
            f.write(f"#!/bin/sh\n{body}\n")
        os.chmod(path, 0o755)
    return hooks


def commit_once(repo, hooks, env):
    head = git(repo, "rev-parse", "HEAD")
    t = run(["git", "-c", f"core.hooksPath={hooks}", "commit", "-q", "-m",
             "feat(doc): add the rustdoc mergeable-info layout"], repo, env)
    git(repo, "reset", "-q", "--soft", head)
    return t


def pairs(name, a, b, runs):
    ratios, wa, wb = [], [], []
    for i in range(runs + 2):
        if i % 2:
            tb, ta = b(), a()
        else:
            ta, tb = a(), b()
        if i >= 2:  # two warm-up rounds
            wa.append(ta)
            wb.append(tb)
            ratios.append(ta / tb)
    print(f"{name:58} {statistics.median(wa) * 1e3:8.1f} ms  vs {statistics.median(wb) * 1e3:8.1f} ms"
          f"   ratio {statistics.median(ratios):5.2f}", flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("repo")
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--bin", default=os.path.join(os.path.dirname(__file__), "..", "target",
                                                  "release", "git-hygiene"))
    ap.add_argument("--peers")
    args = ap.parse_args()
    repo, binary = os.path.abspath(args.repo), os.path.abspath(args.bin)
    staged = git(repo, "diff", "--cached", "--shortstat")
    if not staged:
        sys.exit(f"nothing is staged in {repo}: stage a change first (see --help)")
    with tempfile.TemporaryDirectory() as scratch:
        # The hooks call `git-hygiene` from PATH: this build, whatever its file is called.
        on_path = os.path.join(scratch, "bin")
        os.makedirs(on_path)
        os.symlink(binary, os.path.join(on_path, "git-hygiene"))
        env = dict(os.environ, PATH=f"{on_path}:{os.environ['PATH']}")
        ours = hygiene_hooks(binary, scratch)
        none = os.path.join(scratch, "no-hooks")
        os.makedirs(none)
        msg = os.path.join(scratch, "MSG")
        with open(msg, "w") as f:
            f.write("feat(doc): add the rustdoc mergeable-info layout\n")
        print(f"{repo}: {staged}; {binary}; {args.runs} pairs", flush=True)
        hook = lambda name, *a: (lambda: run([os.path.join(ours, name), *a], repo, env))
        version = lambda: run([binary, "--version"], repo, env)
        pairs("git commit, all four hooks / no hooks",
              lambda: commit_once(repo, ours, env), lambda: commit_once(repo, none, env), args.runs)
        no_ops = floor_hooks(scratch, "no-op-hooks", "exit 0")
        starts = floor_hooks(scratch, "start-only-hooks", "exec git-hygiene --version >/dev/null")
        pairs("git commit, three hooks that exit 0 / no hooks (floor)",
              lambda: commit_once(repo, no_ops, env), lambda: commit_once(repo, none, env), args.runs)
        pairs("git commit, three hooks that start git-hygiene / no hooks (floor)",
              lambda: commit_once(repo, starts, env), lambda: commit_once(repo, none, env), args.runs)
        pairs("pre-commit hook / git diff --cached -U0",
              hook("pre-commit"), lambda: run(["git", "diff", "--cached", "-U0"], repo, env), args.runs)
        pairs("commit-msg hook / git-hygiene --version", hook("commit-msg", msg), version, args.runs)
        pairs("prepare-commit-msg hook / git-hygiene --version",
              hook("prepare-commit-msg", msg, "message"), version, args.runs)
        if args.peers:
            peers = peer_hooks(os.path.abspath(args.peers), scratch)
            pairs("git commit, husky + lint-staged + gitleaks + commitlint / git-hygiene",
                  lambda: commit_once(repo, peers, env), lambda: commit_once(repo, ours, env),
                  max(5, args.runs // 3))
    if git(repo, "diff", "--cached", "--shortstat") != staged:
        sys.exit("the staged change was altered")


if __name__ == "__main__":
    main()
