#!/usr/bin/env python3
"""Writes a `git fast-import` stream for a repository with a long history.

Usage: gen_history.py [COMMITS] | git fast-import --quiet   (default 10000 commits)

A hybrid release (closed weights and training code): every commit changes one of about 2,000
source files spread over 50 folders; every 500th commit adds a weights shard that the next
commit deletes again, and training code comes and goes the same way, so `check --history` has
closed files to find that HEAD no longer holds. Deterministic: the same argument gives the
same stream (and the same commit ids).
"""
import sys

POLICY = b"""[release]
mode = "hybrid"

[components.weights]
status = "closed"
paths = ["*.safetensors", "weights/**"]

[components.training-code]
status = "closed"
paths = ["training/**"]

[components.code]
status = "open"
paths = ["src/**"]
"""

CARD = b"""# acme/model

A model served through our API; the inference code is open.
"""


def blob(out, data):
    out.write(b"data %d\n" % len(data))
    out.write(data)
    out.write(b"\n")


def main():
    commits = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    out = sys.stdout.buffer
    when = 1_700_000_000
    for n in range(1, commits + 1):
        out.write(b"commit refs/heads/main\n")
        out.write(b"committer Bench <bench@example.invalid> %d +0000\n" % (when + n))
        blob(out, b"commit %d" % n)
        # without `from`, fast-import continues the branch from its last commit
        if n == 1:
            out.write(b"M 100644 inline modelgate.toml\n")
            blob(out, POLICY)
            out.write(b"M 100644 inline README.md\n")
            blob(out, CARD)
        folder = n % 50
        module = (n // 50) % 40
        out.write(b"M 100644 inline src/pkg%02d/mod%03d.py\n" % (folder, module))
        blob(out, b"# revision %d\nVALUE = %d\n" % (n, n))
        if n % 500 == 0:
            out.write(b"M 100644 inline weights/shard-%05d.safetensors\n" % n)
            blob(out, b"\x08\x00\x00\x00\x00\x00\x00\x00{}      " + b"%d" % n)
            out.write(b"M 100644 inline training/train_%05d.py\n" % n)
            blob(out, b"print('step %d')\n" % n)
        if n % 500 == 1 and n > 1:
            out.write(b"D weights/shard-%05d.safetensors\n" % (n - 1))
            out.write(b"D training/train_%05d.py\n" % (n - 1))
        out.write(b"\n")


if __name__ == "__main__":
    main()
