#!/usr/bin/env python3
"""Times the tools side by side on the generated trees and prints the table (run by run.sh).

Usage: measure.py WORK MODELGATE VENV RUNS PATTERNS

Each tool runs once on WORK/planted under /usr/bin/time -v (peak RSS, warm cache), then RUNS
times (median wall time; a tool slower than $SLOW seconds, default 30, is timed by its first run), then its output is matched against WORK/manifest.json (recall) and it runs once on
WORK/clean (findings there are false positives). No raw value is printed: outputs stay in WORK.
"""
import json
import os
import re
import statistics
import subprocess
import sys
import time

work, mg, venv, runs, patterns = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
planted, clean = f"{work}/planted", f"{work}/clean"
manifest = json.load(open(f"{work}/manifest.json"))
secret_items = [m for m in manifest if m["kind"] not in
                ("email", "phone", "chinese-id", "payment-card", "iban", "us-ssn", "ip-address", "malicious-pickle")]
personal_items = [m for m in manifest if m["kind"] in
                  ("email", "phone", "chinese-id", "payment-card", "iban", "us-ssn", "ip-address")]
pickle_items = [m for m in manifest if m["kind"] == "malicious-pickle"]
bin_ = f"{venv}/bin"
SLOW = float(os.environ.get("SLOW", "30"))
TH3 = os.environ.get("TRUFFLEHOG3", f"{bin_}/trufflehog3")


# modelgate on modelscan's and picklescan's task: `[scan] include = []` turns the text scanners
# off; documents, licences, model files and every rule are still checked
no_text = f"{work}/no-text-scan.toml"
with open(no_text, "w") as f:
    f.write("[scan]\ninclude = []\n")


def tools(tree, out):
    return {
        "modelgate check (everything)": (f"{mg} check {tree} --format json > {out} 2>/dev/null", "all"),
        "modelgate check, no text scan": (
            f"{mg} check {tree} --policy {no_text} --format json > {out} 2>/dev/null", "no-text"),
        "picklescan (pickles)": (f"{bin_}/picklescan -p {tree} > {out} 2>&1", "pickles"),
        "modelscan (pickles, weights)": (f"{bin_}/modelscan scan -p {tree} -r json -o {out} > /dev/null 2>&1", "pickles"),
        "detect-secrets (secrets)": (f"cd {tree} && {bin_}/detect-secrets scan --all-files . > {out}", "secrets"),
        # files only (no git history: the generated tree is not a repository), patterns and entropy
        "trufflehog3 (secrets)": (f"{TH3} --no-history -z -f JSON -o {out} {tree} > /dev/null 2>&1", "secrets"),
        "reuse lint (licences)": (f"cd {tree} && {bin_}/reuse lint > {out} 2>&1", "licences"),
        "ripgrep (same patterns)": (f"rg -n -o --no-heading -f {patterns} {tree} > {out}", "bytes"),
    }


def run(cmd):
    s = time.perf_counter()
    subprocess.run(cmd, shell=True, check=False)
    return time.perf_counter() - s


def timed_rss(cmd):
    """Wall seconds and peak RSS in MB of one run under /usr/bin/time -v."""
    s = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-v", "sh", "-c", cmd], capture_output=True, text=True)
    wall = time.perf_counter() - s
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    return wall, (int(m.group(1)) / 1024 if m else float("nan"))


def recall(name, out, tree):
    """(found, planted) of the items the tool is meant to find, and other findings."""
    text = open(out, errors="replace").read() if os.path.exists(out) else ""
    rel = lambda p: os.path.relpath(p, tree) if os.path.isabs(p) else os.path.normpath(p)
    if name.startswith("modelgate"):
        d = json.loads(text)["diagnostics"]
        got = {(x["path"], x["line"]) for x in d if x["rule"] in ("security/secret", "privacy/personal-data")}
        # the opcode scanner's verdicts; `security/pickle-weights` is the format advice that every
        # pickle-based file gets, benign or not, so it is neither a hit nor a false positive
        inspect = ("security/pickle-code", "security/pickle-unknown-import", "security/malformed-weights")
        pk = {x["path"] for x in d if x["rule"] in inspect}
        # without the text scanners only the model files' items are looked for
        items = [] if name.endswith("no text scan") else secret_items + personal_items
        hit = sum((m["path"], m["line"]) in got for m in items) + sum(m["path"] in pk for m in pickle_items)
        scanner = [x for x in d if x["rule"] in ("security/secret", "privacy/personal-data") + inspect]
        return hit, len(items) + len(pickle_items), len(scanner)
    if name.startswith("picklescan"):
        flagged = {rel(l.split(":")[0]) for l in text.splitlines() if "dangerous import" in l.lower()}
        return sum(m["path"] in flagged for m in pickle_items), len(pickle_items), len(flagged)
    if name.startswith("modelscan"):
        try:
            issues = json.loads(text).get("issues", [])
        except ValueError:
            issues = []
        flagged = {rel(i.get("source", "")) for i in issues}
        return sum(m["path"] in flagged for m in pickle_items), len(pickle_items), len(issues)
    if name.startswith("detect-secrets"):
        res = json.loads(text).get("results", {})
        got = {(rel(f), r["line_number"]) for f, rs in res.items() for r in rs}
        return sum((m["path"], m["line"]) in got for m in secret_items), len(secret_items), len(got)
    if name.startswith("trufflehog3"):
        try:
            res = json.loads(text)
        except ValueError:
            res = []
        got = {(rel(r["path"]), int(r["line"])) for r in res}
        return sum((m["path"], m["line"]) in got for m in secret_items), len(secret_items), len(got)
    if name.startswith("ripgrep"):
        got = set()
        for l in text.splitlines():
            parts = l.split(":", 2)
            if len(parts) >= 2 and parts[1].isdigit():
                got.add((rel(parts[0]), int(parts[1])))
        items = secret_items + personal_items
        return sum((m["path"], m["line"]) in got for m in items), len(items), len(got)
    return None, None, None


rows = []
for name, (cmd, task) in tools(planted, f"{work}/out").items():
    # the first run warms the page cache and gives the peak RSS; tools slower than SLOW seconds
    # are timed by that run alone, the others by the median of RUNS more
    first, peak = timed_rss(cmd)
    times = [first] if first > SLOW else [run(cmd) for _ in range(runs)]
    hit, total, n = recall(name, f"{work}/out", planted)
    ccmd = tools(clean, f"{work}/out-clean")[name][0]
    run(ccmd)
    _, _, clean_n = recall(name, f"{work}/out-clean", clean)
    rows.append((name, task, statistics.median(times), min(times), peak, hit, total, n, clean_n))

mg_time = rows[0][2]
print(f"{'tool (task)':32} {'median s':>9} {'min s':>7} {'peak MB':>8} {'recall':>9} {'found':>6} {'clean':>6} {'vs modelgate':>12}")
for name, task, med, mn, peak, hit, total, n, clean_n in rows:
    rec = f"{hit}/{total}" if total else "-"
    found = "-" if n is None else str(n)
    cl = "-" if clean_n is None else str(clean_n)
    print(f"{name:32} {med:9.2f} {mn:7.2f} {peak:8.0f} {rec:>9} {found:>6} {cl:>6} {med / mg_time:11.1f}x")
print()
print(f"runs: median of {runs}, or the single first run for tools slower than {SLOW:.0f} s")
print("recall: planted items the tool is meant to find (modelgate: secrets, personal data and malicious")
print("pickles); found: findings on the planted tree; clean: findings on the clean tree (false positives).")
print("modelgate's found/clean count only its scanner rules (security/secret, privacy/personal-data,")
print("security/pickle-code, security/pickle-unknown-import, security/malformed-weights); its card,")
print("licence and format rules (security/pickle-weights included) run too and are timed.")
print("modelgate check, no text scan: the same with `[scan] include = []` (modelscan's and picklescan's")
print("task plus documents, licences and rules); its recall counts the malicious pickles only.")
