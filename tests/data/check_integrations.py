#!/usr/bin/env python3
"""Test-only structure checks for the CI integrations (run by tests/e2e/packaging/); needs PyYAML.

usage: check_integrations.py action ACTION_YML SCRIPTS_DIR
       check_integrations.py component TEMPLATE_YML SCRIPTS_DIR
       check_integrations.py pinned YAML...

actionlint lints workflows only, not a composite action, and nothing lints a GitLab component
offline, so this checks their required keys and that every input they use is declared. It
writes each shell script they hold into SCRIPTS_DIR (expressions replaced by a plain word) for
shellcheck. `pinned` checks that every `uses:` names a full commit SHA and that no tool is
installed unpinned or from a branch. Exit 0 = fine; otherwise one line per problem.
"""
import os
import re
import sys

import yaml

problems = []


def problem(msg):
    problems.append(msg)


def walk_strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for k, v in node.items():
            yield from walk_strings(k)
            yield from walk_strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from walk_strings(v)


def write_script(out, name, shebang, text):
    with open(os.path.join(out, name), "w") as f:
        f.write(f"{shebang}\n{text}\n")


def check_action(path, out):
    with open(path) as f:
        doc = yaml.safe_load(f)
    for key in ("name", "description", "runs"):
        if not doc.get(key):
            problem(f"{path}: no `{key}`")
    inputs = doc.get("inputs") or {}
    for name, spec in inputs.items():
        if not (spec or {}).get("description"):
            problem(f"{path}: input `{name}` has no description")
        if "default" in (spec or {}) and not isinstance(spec["default"], str):
            problem(f"{path}: input `{name}`: a default must be a string")
    runs = doc.get("runs") or {}
    if runs.get("using") != "composite":
        problem(f"{path}: runs.using is not `composite`")
    steps = runs.get("steps") or []
    if not steps:
        problem(f"{path}: runs.steps is empty")
    ids = {s.get("id") for s in steps if s.get("id")}
    for name, spec in (doc.get("outputs") or {}).items():
        if not (spec or {}).get("value"):
            problem(f"{path}: output `{name}` has no value (composite outputs need one)")
    for text in walk_strings(doc):
        for used in re.findall(r"\binputs\.([A-Za-z0-9_-]+)", text):
            if used not in inputs:
                problem(f"{path}: uses undeclared input `{used}`")
        for step in re.findall(r"\bsteps\.([A-Za-z0-9_-]+)\.outputs", text):
            if step not in ids:
                problem(f"{path}: refers to unknown step id `{step}`")
    for i, step in enumerate(steps):
        where = f"{path}: step {i + 1} ({step.get('name', '?')})"
        if ("run" in step) == ("uses" in step):
            problem(f"{where}: needs exactly one of `run` and `uses`")
        if "run" in step:
            if not step.get("shell"):
                problem(f"{where}: a composite `run` step needs `shell`")
            if "${{" in step["run"]:
                problem(f"{where}: expression inside `run` (pass it through `env:`)")
            if step.get("shell") == "bash":
                write_script(out, f"action-step-{i + 1}.sh", "#!/usr/bin/env bash", step["run"])


def check_component(path, out):
    with open(path) as f:
        docs = list(yaml.safe_load_all(f))
    if len(docs) != 2:
        problem(f"{path}: expected a `spec:` header and the jobs, separated by `---`")
        return
    spec, jobs = docs
    inputs = ((spec or {}).get("spec") or {}).get("inputs") or {}
    if not inputs:
        problem(f"{path}: no spec:inputs")
    for name, s in inputs.items():
        if not (s or {}).get("description"):
            problem(f"{path}: input `{name}` has no description")
        if "default" not in (s or {}):
            problem(f"{path}: input `{name}` has no default (it would be mandatory)")
    used = set()
    for text in walk_strings(jobs):
        used.update(re.findall(r"\$\[\[\s*inputs\.([A-Za-z0-9_-]+)", text))
    for name in sorted(used - set(inputs)):
        problem(f"{path}: uses undeclared input `{name}`")
    for name in sorted(set(inputs) - used):
        problem(f"{path}: input `{name}` is declared but never used")
    real = {k: v for k, v in (jobs or {}).items() if not k.startswith(".")}
    if not real:
        problem(f"{path}: no job")
    for job, body in real.items():
        script = body.get("script")
        if not script:
            problem(f"{path}: job `{job}` has no script")
            continue
        artifacts = body.get("artifacts") or {}
        if artifacts.get("when") != "always":
            problem(f"{path}: job `{job}`: artifacts must be kept `when: always`")
        reports = artifacts.get("reports") or {}
        for kind in ("codequality", "junit"):
            if kind not in reports:
                problem(f"{path}: job `{job}`: no `{kind}` report")
        text = "\n".join(script if isinstance(script, list) else [script])
        text = re.sub(r"\$\[\[[^\]]*\]\]", "value", text)
        write_script(out, f"component-{job}.sh", "#!/bin/sh", text)


PINNED = re.compile(r"^[^@\s]+@[0-9a-f]{40}$")


def check_pinned(path):
    with open(path) as f:
        doc = yaml.safe_load(f)
    def steps(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "uses" and isinstance(v, str):
                    yield v
                else:
                    yield from steps(v)
        elif isinstance(node, list):
            for v in node:
                yield from steps(v)
    for uses in steps(doc):
        if uses.startswith("./") or uses.startswith("docker://"):
            continue
        if not PINNED.match(uses):
            problem(f"{path}: `uses: {uses}` is not pinned to a full commit SHA")
    for text in walk_strings(doc):
        for line in text.splitlines():
            if re.search(r"--branch\b|@(main|master)\b", line):
                problem(f"{path}: installs from a branch: {line.strip()}")
            m = re.search(r"\bpip install\b(.*)", line)
            if m:
                words = m.group(1).split()
                for i, word in enumerate(words):
                    takes_value = i > 0 and words[i - 1] in ("-r", "-c", "-f", "-i", "--find-links", "--index-url")
                    if takes_value or word.startswith("-") or "/" in word or "$" in word:
                        continue
                    if "==" not in word:
                        problem(f"{path}: unpinned pip package `{word}`: {line.strip()}")
            m = re.search(r"\bnpm (?:install|i) (?:-g|--global)\b(.*)", line)
            if m:
                for word in m.group(1).split():
                    if not word.startswith("-") and not re.search(r".@\d", word):
                        problem(f"{path}: unpinned npm package `{word}`: {line.strip()}")


def main(argv):
    if len(argv) >= 3 and argv[0] == "action":
        check_action(argv[1], argv[2])
    elif len(argv) >= 3 and argv[0] == "component":
        check_component(argv[1], argv[2])
    elif len(argv) >= 2 and argv[0] == "pinned":
        for path in argv[1:]:
            check_pinned(path)
    else:
        print(__doc__)
        return 2
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
