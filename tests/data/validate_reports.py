#!/usr/bin/env python3
"""Test-only validator for git-hygiene's CI reports (run by tests/e2e/ci.rs).

usage: validate_reports.py KIND PATH   (KIND: sarif | junit | codequality | gitlab-secrets)

SARIF is validated against the official SARIF 2.1.0 JSON schema shipped next to this file;
the others structurally, with the fields GitLab reads. Exit 0 = valid; otherwise the reason.
"""
import json
import os
import sys
import xml.etree.ElementTree as ET


def fail(msg):
    print(msg)
    sys.exit(1)


def sarif(path):
    try:
        import jsonschema
    except ImportError:
        fail("python jsonschema missing: pip install jsonschema")
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "sarif-schema-2.1.0.json")) as f:
        schema = json.load(f)
    with open(path) as f:
        doc = json.load(f)
    errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(doc), key=str)
    if errors:
        fail("SARIF invalid: " + "; ".join(e.message for e in errors[:5]))
    for run in doc["runs"]:
        for r in run["results"]:
            if not r.get("locations"):
                fail("result without a location (GitHub rejects the file)")
            if "partialFingerprints" not in r:
                fail("result without partialFingerprints")


def junit(path):
    root = ET.parse(path).getroot()
    if root.tag != "testsuites":
        fail("root is not <testsuites>")
    total = failures = 0
    for suite in root.findall("testsuite"):
        cases = suite.findall("testcase")
        if int(suite.get("tests")) != len(cases):
            fail(f"suite {suite.get('name')}: tests attribute != testcases")
        fails = sum(1 for c in cases if c.find("failure") is not None)
        if int(suite.get("failures")) != fails:
            fail(f"suite {suite.get('name')}: failures attribute wrong")
        for c in cases:
            if not c.get("classname") or not c.get("name"):
                fail("testcase without classname/name")
        total += len(cases)
        failures += fails
    if int(root.get("tests")) != total or int(root.get("failures")) != failures:
        fail("testsuites totals wrong")


def codequality(path):
    with open(path, "rb") as f:
        raw = f.read()
    if raw.startswith(b"\xef\xbb\xbf"):
        fail("BOM")
    doc = json.loads(raw)
    if not isinstance(doc, list):
        fail("not an array")
    seen = set()
    for i in doc:
        for k in ("description", "check_name", "fingerprint", "severity", "location"):
            if not i.get(k):
                fail(f"issue without {k}")
        if i["severity"] not in ("info", "minor", "major", "critical", "blocker"):
            fail("bad severity " + i["severity"])
        loc = i["location"]
        if not isinstance(loc.get("path"), str):
            fail("location.path")
        if not isinstance(loc.get("lines", {}).get("begin"), int):
            fail("location.lines.begin")
        if i["fingerprint"] in seen:
            fail("duplicate fingerprint")
        seen.add(i["fingerprint"])


def gitlab_secrets(path):
    with open(path) as f:
        doc = json.load(f)
    for k in ("version", "scan", "vulnerabilities"):
        if k not in doc:
            fail("missing " + k)
    scan = doc["scan"]
    if scan.get("type") != "secret_detection" or scan.get("status") not in ("success", "failure"):
        fail("scan.type/status")
    for k in ("analyzer", "scanner", "start_time", "end_time"):
        if k not in scan:
            fail("scan." + k)
    for v in doc["vulnerabilities"]:
        for k in ("id", "identifiers", "location", "severity"):
            if k not in v:
                fail("vulnerability." + k)


KINDS = {"sarif": sarif, "junit": junit, "codequality": codequality, "gitlab-secrets": gitlab_secrets}

if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in KINDS:
        fail(__doc__)
    KINDS[sys.argv[1]](sys.argv[2])
    print("ok")
