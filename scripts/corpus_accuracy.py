#!/usr/bin/env python3
"""Accuracy of `modelgate classify` on a labelled corpus.

Usage: scripts/corpus_accuracy.py CORPUS_DIR [--bin PATH] [-v]

CORPUS_DIR holds <owner>__<name>/ entries with labels.toml, files/ and tree.txt (the layout of
../shared/corpus). Each entry is laid out as a tree with the corpus's skeleton.py (or, without
it, files/ plus empty placeholders for tree.txt), classified, and compared with its labels:
  licence files   right / wrong / unknown (null) / not labelled
  release_mode    matches / differs
  claims_open_source matches / differs
Exit status 1 when a licence file is identified wrongly or a label is not matched.
"""
import json, os, subprocess, sys, tempfile, tomllib

def lay_out(entry, out):
    files = os.path.join(entry, "files")
    for dirpath, _, names in os.walk(files):
        for n in names:
            src = os.path.join(dirpath, n)
            dst = os.path.join(out, os.path.relpath(src, files))
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            with open(src, "rb") as a, open(dst, "wb") as b:
                b.write(a.read())
    tree = os.path.join(entry, "tree.txt")
    if os.path.isfile(tree):
        for line in open(tree, encoding="utf-8", errors="replace"):
            rel = line.rstrip("\n")
            if not rel or rel.startswith("/") or ".." in rel.split("/"):
                continue
            dst = os.path.join(out, rel)
            if os.path.exists(dst):
                continue
            try:
                os.makedirs(os.path.dirname(dst), exist_ok=True)
                open(dst, "wb").close()
            except OSError:
                pass

def main():
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    verbose = "-v" in sys.argv
    if "--bin" in sys.argv:
        binary = sys.argv[sys.argv.index("--bin") + 1]
        args = [a for a in args if a != binary]
    else:
        here = os.path.dirname(os.path.abspath(__file__))
        binary = os.path.join(here, "..", "target", "debug", "modelgate")
    if len(args) != 1:
        print(__doc__)
        return 2
    corpus = args[0]
    lic = {"right": 0, "wrong": 0, "unknown": 0, "unlabelled": 0}
    mode_ok = claim_ok = n = 0
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in sorted(os.listdir(corpus)):
            entry = os.path.join(corpus, name)
            labels_path = os.path.join(entry, "labels.toml")
            if not os.path.isfile(labels_path):
                continue
            labels = tomllib.load(open(labels_path, "rb"))
            root = os.path.join(tmp, name)
            lay_out(entry, root)
            out = subprocess.run([binary, "classify", root, "--format", "json"],
                                 capture_output=True, text=True)
            if out.returncode != 0:
                problems.append(f"{name}: classify exited {out.returncode}: {out.stderr.strip()}")
                continue
            r = json.loads(out.stdout)
            n += 1
            want = labels.get("license_files", {})
            for f in r["license_files"]:
                exp = want.get(f["path"])
                got = f["license"]
                if exp is None:
                    lic["unlabelled"] += 1
                    if verbose:
                        print(f"  {name}: {f['path']}: {got} (no label)")
                elif got is None and exp == "NOASSERTION":
                    lic["right"] += 1
                elif got is None:
                    lic["unknown"] += 1
                    if verbose:
                        print(f"  {name}: {f['path']}: unknown (label {exp})")
                elif got == exp:
                    lic["right"] += 1
                else:
                    lic["wrong"] += 1
                    problems.append(f"{name}: {f['path']} identified as {got}, labelled {exp}")
            if r["release_mode"] == labels["release_mode"]:
                mode_ok += 1
            else:
                problems.append(f"{name}: release_mode {r['release_mode']}, labelled {labels['release_mode']}")
            if r["claims_open_source"] == labels["claims_open_source"]:
                claim_ok += 1
            else:
                problems.append(f"{name}: claims_open_source {r['claims_open_source']}, labelled {labels['claims_open_source']}")
    print(f"entries: {n}")
    print(f"licence files: {lic['right']} right, {lic['wrong']} wrong, {lic['unknown']} unknown, {lic['unlabelled']} not labelled")
    print(f"release_mode: {mode_ok}/{n} match")
    print(f"claims_open_source: {claim_ok}/{n} match")
    for p in problems:
        print("  " + p)
    return 1 if problems else 0

if __name__ == "__main__":
    sys.exit(main())
