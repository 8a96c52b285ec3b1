#!/usr/bin/env python3
"""How many of squawk's table-locking reports git-hygiene's migrations check also makes.

    python3 benches/squawk_coverage.py DIR [--hygiene PATH] [--squawk PATH] [--list]

DIR holds Prisma migrations (`*/migration.sql`, and `migration_lock.toml` if the project has
one). Each file is linted by squawk (`pip install squawk-cli`); then the whole directory is
staged in a scratch git repository as `prisma/migrations/` and judged by `git hygiene check
--format json`. A squawk report counts as covered when git-hygiene reports one of the rules
mapped to it below on the same file and line. Prints, per squawk rule, its reports and how many
are covered, then git-hygiene's lock findings squawk does not make. `--list` also prints every
uncovered report. Exit 0 always: this measures, it does not judge.
"""

import argparse
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

# squawk rule -> git-hygiene rules that answer it (same file, same line).
LOCKING = {
    "adding-field-with-default": {"volatile-default"},
    "adding-required-field": {"required-column"},
    "changing-column-type": {"column-type-change"},
    "require-concurrent-index-creation": {"index-not-concurrent"},
    "adding-foreign-key-constraint": {"constraint-not-valid"},
    # squawk also says this of primary keys and unique constraints, which have no NOT VALID.
    "constraint-missing-not-valid": {"constraint-not-valid", "key-without-index"},
    "adding-serial-primary-key-field": {"key-without-index"},
    "disallowed-unique-constraint": {"key-without-index"},
    "renaming-column": {"rename"},
    "renaming-table": {"rename"},
    "adding-not-nullable-field": {"set-not-null"},
}
HYGIENE_LOCK_RULES = set().union(*LOCKING.values())

CREATED = re.compile(r'CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?((?:"[^"]+"|\w+)(?:\.(?:"[^"]+"|\w+))?)', re.I)
TARGET = re.compile(r'(?:ALTER\s+TABLE\s+(?:ONLY\s+)?(?:IF\s+EXISTS\s+)?|\bON\s+(?:ONLY\s+)?)((?:"[^"]+"|\w+)(?:\.(?:"[^"]+"|\w+))?)', re.I)


def bare(name):
    """`public."User"` -> `User`, `users` -> `users` (for comparing names only)."""
    last = name.split(".")[-1]
    return last[1:-1] if last.startswith('"') else last.lower()


def on_new_table(root, path, line):
    """Is the statement at `line` about a table the same file creates before it? A rough,
    text-based look, for sorting squawk's reports only: git-hygiene passes over such tables."""
    with open(os.path.join(root, path), encoding="utf-8", errors="replace") as f:
        lines = f.read().split("\n")
    before = "\n".join(lines[: line - 1])
    created = {bare(m.group(1)) for m in CREATED.finditer(before)}
    for k in range(line - 1, max(-1, line - 40), -1):
        m = TARGET.search(lines[k]) if k < len(lines) else None
        if m:
            return bare(m.group(1)) in created
    return False


def run_squawk(squawk, files, root):
    out = subprocess.run(
        [squawk, "--reporter", "json", *files],
        cwd=root,
        capture_output=True,
        text=True,
    )
    reports = json.loads(out.stdout or "[]")
    # squawk counts lines from 0.
    return [(r["file"], r["line"] + 1, r["rule_name"]) for r in reports]


def run_hygiene(hygiene, src):
    with tempfile.TemporaryDirectory() as tmp:
        repo = os.path.join(tmp, "r")
        shutil.copytree(src, os.path.join(repo, "prisma", "migrations"))
        env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", HOME=tmp)
        git = ["git", "-c", "user.name=b", "-c", "user.email=b@example.com"]
        subprocess.run(git + ["init", "-q", "-b", "bench"], cwd=repo, env=env, check=True)
        subprocess.run(git + ["add", "."], cwd=repo, env=env, check=True)
        out = subprocess.run(
            [hygiene, "check", "--format", "json"],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
        )
        doc = json.loads(out.stdout)
    found = []
    for f in doc["findings"]:
        path = f.get("path") or ""
        if not path.startswith("prisma/migrations/") or f.get("check") != "migrations":
            continue
        found.append((path[len("prisma/migrations/") :], f.get("line"), f["rule"]))
    return found


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--hygiene", default="target/debug/git-hygiene")
    ap.add_argument("--squawk", default=shutil.which("squawk") or "squawk")
    ap.add_argument("--list", action="store_true")
    # Older git-hygiene had one `locking` rule and reported renames and type changes as
    # `destructive`: count those too, to measure a build from before the lock rules.
    ap.add_argument("--old-rules", action="store_true")
    a = ap.parse_args()
    root = os.path.abspath(a.dir)
    files = sorted(
        os.path.relpath(os.path.join(d, f), root)
        for d, _, fs in os.walk(root)
        for f in fs
        if f == "migration.sql"
    )
    version = subprocess.run([a.squawk, "--version"], capture_output=True, text=True)
    print(f"{len(files)} migration files in {a.dir}; {version.stdout.strip()}")
    squawk = run_squawk(a.squawk, files, root)
    hygiene = run_hygiene(os.path.abspath(a.hygiene), root)
    at = collections.defaultdict(set)
    for path, line, rule in hygiene:
        at[(path, line)].add(rule)

    per_rule = collections.OrderedDict((r, [0, 0, 0]) for r in LOCKING)
    uncovered = []
    answered = set()
    others = collections.Counter()
    for path, line, rule in squawk:
        if rule not in LOCKING:
            others[rule] += 1
            continue
        per_rule[rule][0] += 1
        wanted = LOCKING[rule] | ({"locking", "destructive"} if a.old_rules else set())
        hit = at[(path, line)] & wanted
        if hit:
            per_rule[rule][1] += 1
            answered.update((path, line, h) for h in hit)
        elif on_new_table(root, path, line):
            per_rule[rule][2] += 1
        else:
            uncovered.append((path, line, rule))

    # "new table": not covered, on a table created earlier in the same file (by design).
    print(f"\n{'squawk rule':36} {'reports':>8} {'covered':>8} {'new table':>10} {'missed':>7}")
    total = covered = fresh = 0
    for rule, (n, c, new) in per_rule.items():
        total, covered, fresh = total + n, covered + c, fresh + new
        print(f"{rule:36} {n:8} {c:8} {new:10} {n - c - new:7}")
    print(f"{'all table-locking reports':36} {total:8} {covered:8} {fresh:10} {total - covered - fresh:7}")
    share = 100.0 * covered / total if total else 100.0
    judged = total - fresh
    share_judged = 100.0 * covered / judged if judged else 100.0
    print(f"covered: {share:.1f}% of all; {share_judged:.1f}% of those not on a table created in the same file")

    extra = [
        (p, l, r)
        for p, l, r in hygiene
        if (r in HYGIENE_LOCK_RULES or (a.old_rules and r == "locking")) and (p, l, r) not in answered
    ]
    print(f"\ngit-hygiene lock findings squawk does not make: {len(extra)}")
    for rule, n in collections.Counter(r for _, _, r in extra).most_common():
        print(f"  {rule:34} {n:8}")
    for p, l, r in extra if a.list else []:
        print(f"    {p}:{l} {r}")
    if a.list and uncovered:
        print("\nsquawk reports git-hygiene does not make:")
        for p, l, r in uncovered:
            print(f"    {p}:{l} {r}")
    print("\nsquawk rules not counted (not table locks): " + ", ".join(f"{r} {n}" for r, n in others.most_common()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
