#!/usr/bin/env bash
# Cost of licence detection: `check` with real licence texts on the generated repository.
# Usage: bench/licenses.sh BIN [BIN...]   (binaries to compare, e.g. main's and this branch's)
# The tree is bench/gen_repo.py's, with the root LICENSE replaced by the full Apache-2.0 text
# and an MIT LICENSE (each with its own copyright line) in every model folder. The texts come
# from the spdx crate in cargo's registry: the repository holds no licence texts.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
files=${FILES:-20000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$here/gen_repo.py" "$work/repo" "$files" > /dev/null
spdx_dir=$(cargo metadata --format-version 1 --manifest-path "$root/Cargo.toml" 2>/dev/null |
  python3 -c "import json,sys,os; m=json.load(sys.stdin); print([os.path.dirname(p['manifest_path']) for p in m['packages'] if p['name']=='spdx'][0])")
python3 - "$work/repo" "$spdx_dir/src/text/licenses" <<'PY'
import os, sys
repo, texts = sys.argv[1], sys.argv[2]
def text(id):
    t = open(os.path.join(texts, id), encoding="utf-8").read()
    return t[t.index('"') + 1:t.rindex('"')]
open(os.path.join(repo, "LICENSE"), "w").write(text("Apache-2.0"))
mit = text("MIT")
n = 0
models = os.path.join(repo, "models")
for d in sorted(os.listdir(models)):
    p = os.path.join(models, d)
    if os.path.isdir(p) and os.path.isfile(os.path.join(p, "README.md")):
        open(os.path.join(p, "LICENSE"), "w").write(mit.replace("<year> <copyright holders>", f"2024 Team {n}"))
        n += 1
print(f"licence texts: root Apache-2.0, {n} MIT")
PY
for bin in "$@"; do
  "$bin" check "$work/repo" --format json > /dev/null 2>&1 || true
  times=()
  for _ in $(seq 10); do
    s=$(date +%s%N)
    "$bin" check "$work/repo" --format json > /dev/null 2>&1 || true
    e=$(date +%s%N)
    times+=($(( (e - s) / 1000000 )))
  done
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  echo "$bin: wall ms over 10 runs: min $(echo "$sorted" | head -1), median $(echo "$sorted" | sed -n 5p), max $(echo "$sorted" | tail -1)"
done
