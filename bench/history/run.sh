#!/usr/bin/env bash
# Benchmark of `modelgate check --history` on a generated repository with a long history.
# Usage: bench/history/run.sh [COMMITS]   (default 10000; builds a release binary first)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
commits=${1:-10000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet --manifest-path "$root/Cargo.toml"
bin="${CARGO_TARGET_DIR:-$root/target}/release/modelgate"

s=$(date +%s%N)
git init -q -b main "$work/repo"
python3 "$here/gen_history.py" "$commits" | git -C "$work/repo" fast-import --quiet
git -C "$work/repo" reset -q --hard main
e=$(date +%s%N)
echo "generated $commits commits in $(( (e - s) / 1000000 )) ms under $work/repo"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "modelgate $("$bin" --version | cut -d' ' -f2); $(git -C "$work/repo" rev-list --count HEAD) commits, $(git -C "$work/repo" ls-files | wc -l) files at HEAD"

"$bin" check "$work/repo" --history --format json > "$work/out.json" || true
python3 - "$work/out.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
hist = [x for x in d["diagnostics"] if x.get("commit")]
print("findings:", d["summary"], "- from history:", len(hist))
PY
times=()
for _ in $(seq 5); do
  s=$(date +%s%N)
  "$bin" check "$work/repo" --history --format json > /dev/null || true
  e=$(date +%s%N)
  times+=($(( (e - s) / 1000000 )))
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
echo "check --history, wall ms over 5 runs: min $(echo "$sorted" | head -1), median $(echo "$sorted" | sed -n 3p), max $(echo "$sorted" | tail -1)"
/usr/bin/time -v "$bin" check "$work/repo" --history --format json 2>&1 >/dev/null | grep -E "Maximum resident" | sed 's/^\s*/peak memory: /'
