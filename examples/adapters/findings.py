#!/usr/bin/env python3
"""Summarises a qrcert report.json by rule: what the implementation got wrong, counted.

    python3 examples/adapters/findings.py reports/examples/bakong-khqr/report.json

Every blocking or non-strict validate case is sorted by what happened (accepted a code breaking
the rule, accepted it as the official KHQR SDK does, rejected it for another reason, rejected a
good code, gave no verdict); generate, parse and other cases are listed by their message.
Standard library only, so the README's figures can be re-measured from the committed report.
"""
import collections
import json
import sys


def kind(case):
    m = case["message"]
    if case["capability"] != "validate":
        return None
    if m.startswith("accepted a code breaking") and "official KHQR SDK" in m:
        return "accepted (as the SDK reference does)"
    if m.startswith("accepted a code that breaks"):
        return "accepted"
    if m.startswith("rejected, but"):
        return "rejected for another reason"
    if m.startswith("rejected a well-formed code"):
        return "rejected a good code"
    if "refused to judge" in m:
        return "no verdict (hung or refused)"
    return "other"


def main(path):
    with open(path, encoding="utf-8") as f:
        report = json.load(f)
    counts = collections.defaultdict(collections.Counter)
    others = []
    for c in report["cases"]:
        if c["grade"] not in ("FAIL", "NON_STRICT", "ERROR"):
            continue
        k = kind(c)
        if k is None:
            others.append(c)
            continue
        for rule in c["rules"] or ["(no rule)"]:
            counts[rule][(k, c["grade"])] += 1
    impl = report["implementation"]
    s = report["summary"]["grades"]
    print(f"{impl['name']} {impl['version']}: {report['verdict']}, "
          + ", ".join(f"{v} {g}" for g, v in s.items() if v))
    print()
    print("| rule | what the implementation did | cases | grade |")
    print("| --- | --- | --- | --- |")
    rows = []
    for rule, cnt in counts.items():
        for (k, grade), n in cnt.items():
            rows.append((rule, k, n, grade))
    rows.sort(key=lambda r: (r[1], -r[2], r[0]))
    for rule, k, n, grade in rows:
        print(f"| `{rule}` | {k} | {n} | {grade} |")
    if others:
        print()
        print("| case | grade | message |")
        print("| --- | --- | --- |")
        for c in others:
            msg = c["message"].replace("|", "\\|")
            if len(msg) > 160:
                msg = msg[:157] + "..."
            print(f"| {c['id']} | {c['grade']} | {msg} |")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
