#!/usr/bin/env python3
"""Passwords planted in real configuration files: how many does each scanner find?

    benches/planted_passwords.py CORPUS --bin PATH [--gitleaks PATH] [--per-kind N] [--seed S]
                                 [--show-misses]

CORPUS is a directory of project trees (the TREE corpus of the shared bench). Up to N files of
each configuration kind (YAML, JSON, TOML, XML, INI/.cfg, .properties, .env, .conf, Dockerfile)
are drawn with seed S from outside test directories. Each gets one line added in its own format,
next to a line of the same shape: a password-, secret- or token-like key (`db_password`,
`secretKey`, `API_TOKEN`, …) given a made-up value (a word and digits, or a random 10–16
characters). The copies are written to a scratch directory, scanned once by
`git hygiene --only secrets scan` (forbidden-file off) and once by `gitleaks dir`, and a plant
counts as found when a finding sits on its line. Prints the share found per kind and in total.
A benchmark, not a test: it asserts nothing, and it never prints a value.
"""
import argparse
import json
import os
import random
import re
import subprocess
import tempfile

KINDS = {".yml": "yaml", ".yaml": "yaml", ".json": "json", ".toml": "toml", ".xml": "xml",
         ".ini": "ini", ".cfg": "ini", ".properties": "properties", ".env": "env", ".conf": "conf"}
SKIP_DIRS = {".git", "node_modules", "vendor", "testdata", "test", "tests", "fixtures", "spec",
             "e2e", "integration", "__tests__"}
KEYS = ["password", "db_password", "secret", "api_token", "auth_token", "client_secret", "passwd",
        "smtp_pass", "redis_password", "admin_pwd", "secretKey", "accessToken", "apiKey", "DB_PASS",
        "private_key_password", "mysql_root_password"]
WORDS = ["amber", "brisk", "cedar", "delta", "ember", "fjord", "gravel", "harbor", "indigo",
         "juniper", "kestrel", "lumen", "mosaic", "nectar", "onyx", "pylon"]
ALNUM = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def candidates(corpus):
    found = {}
    for root, dirs, files in os.walk(corpus):
        dirs[:] = sorted(d for d in dirs if d.lower() not in SKIP_DIRS)
        for name in sorted(files):
            kind = "docker" if name == "Dockerfile" else KINDS.get(os.path.splitext(name)[1].lower())
            path = os.path.join(root, name)
            if kind and 50 < os.path.getsize(path) < 60000:
                found.setdefault(kind, []).append(path)
    return found


def made_up_password(rng):
    r = rng.random()
    if r < 0.4:
        return rng.choice(WORDS).capitalize() + str(rng.randint(100, 9999)) + rng.choice("!#$%")
    if r < 0.7:
        return "".join(rng.choice(ALNUM) for _ in range(rng.randint(10, 16)))
    return rng.choice(WORDS) + rng.choice("-_.") + rng.choice(WORDS) + str(rng.randint(1, 99))


def lines_like(lines, pattern):
    return [i for i, line in enumerate(lines) if re.match(pattern, line)]


def plant(kind, lines, key, value, rng):
    """Adds the assignment to `lines` in `kind`'s syntax; returns its 1-based line, or None."""
    indent = lambda i: re.match(r"^\s*", lines[i]).group(0)
    at = None
    if kind == "yaml":
        spots = [i for i in lines_like(lines, r"^\s*[A-Za-z_][\w.-]*:\s*\S")
                 if not lines[i].strip().startswith("-")]
        if spots:
            at = rng.choice(spots)
            quoted = f'"{value}"' if rng.random() < 0.5 else value
            lines.insert(at + 1, f"{indent(at)}{key}: {quoted}")
    elif kind == "json":
        spots = [i for i in lines_like(lines, r'^\s*"[^"]+"\s*:\s*("|\d|true|false)')
                 if lines[i].rstrip().endswith(",")]
        if spots:
            at = rng.choice(spots)
            lines.insert(at + 1, f'{indent(at)}"{key}": "{value}",')
    elif kind in ("properties", "env"):
        at = len(lines) - 1
        lines.append(f"{key}={value}" if kind == "properties" else f"{key.upper()}={value}")
    elif kind in ("ini", "toml"):
        spots = lines_like(lines, r"^\s*\[.+\]\s*$")
        at = rng.choice(spots) if spots else -1
        lines.insert(at + 1, f'{key} = "{value}"' if kind == "toml" else f"{key} = {value}")
    elif kind == "xml":
        spots = lines_like(lines, r"^\s*<[A-Za-z][^>/]*>[^<]+</[A-Za-z]")
        if spots:
            at = rng.choice(spots)
            lines.insert(at + 1, f"{indent(at)}<{key}>{value}</{key}>")
    elif kind == "conf":
        spots = lines_like(lines, r"^\s*[a-z_]+\s+\S")
        if spots:
            at = rng.choice(spots)
            lines.insert(at + 1, f"{indent(at)}{key} {value}")
    elif kind == "docker":
        spots = [i for i, line in enumerate(lines) if line.startswith(("ENV ", "RUN ", "FROM "))]
        if spots:
            at = rng.choice(spots)
            lines.insert(at + 1, f"ENV {key.upper()}={value}")
    return None if at is None else at + 2


def hygiene_hits(binary, tree, scratch):
    config = os.path.join(scratch, "hygiene.toml")
    with open(config, "w") as f:
        f.write("[secrets]\nforbidden_files = false\n")
    run = subprocess.run([binary, "--config", config, "--format", "json", "--only", "secrets",
                          "scan", tree], capture_output=True, text=True)
    return {(os.path.relpath(os.path.join(tree, f["path"]) if not os.path.isabs(f["path"])
                             else f["path"], tree), f.get("line"))
            for f in json.loads(run.stdout)["findings"] if f.get("severity") != "info"}


def gitleaks_hits(binary, tree, scratch):
    report = os.path.join(scratch, "gitleaks.json")
    subprocess.run([binary, "dir", tree, "--no-banner", "--redact", "--report-format", "json",
                    "--report-path", report, "--exit-code", "0", "--log-level", "error"], check=True)
    with open(report) as f:
        return {(os.path.relpath(x["File"], tree), x["StartLine"]) for x in json.load(f)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--bin", required=True)
    ap.add_argument("--gitleaks")
    ap.add_argument("--per-kind", type=int, default=25)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--show-misses", action="store_true")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as scratch:
        tree = os.path.join(scratch, "tree")
        plants = []
        for kind, paths in candidates(args.corpus).items():
            rng.shuffle(paths)
            for path in paths[:args.per_kind]:
                with open(path, encoding="utf-8", errors="replace") as f:
                    lines = f.read().split("\n")
                key = rng.choice(KEYS)
                line = plant(kind, lines, key, made_up_password(rng), rng)
                if line is None:
                    continue
                rel = os.path.join(f"p{len(plants):03}", os.path.relpath(path, args.corpus))
                os.makedirs(os.path.dirname(os.path.join(tree, rel)), exist_ok=True)
                with open(os.path.join(tree, rel), "w") as f:
                    f.write("\n".join(lines))
                plants.append((kind, key, rel, line))
        ours = hygiene_hits(args.bin, tree, scratch)
        theirs = gitleaks_hits(args.gitleaks, tree, scratch) if args.gitleaks else set()
    by_kind = {}
    for kind, key, rel, line in plants:
        tally = by_kind.setdefault(kind, [0, 0, 0])
        tally[0] += 1
        tally[1] += (rel, line) in ours
        tally[2] += (rel, line) in theirs
        if args.show_misses and (rel, line) not in ours:
            print(f"missed: {kind} `{key}` in {rel}:{line}")
    total = [sum(t[i] for t in by_kind.values()) for i in range(3)]
    for kind, (n, a, b) in sorted(by_kind.items()) + [("ALL", total)]:
        peer = f"   gitleaks {b / n:.3f}" if args.gitleaks else ""
        print(f"{kind:<11} {n:4} planted   git-hygiene {a / n:.3f} ({a}){peer}")


if __name__ == "__main__":
    main()
