#!/usr/bin/env bash
# Benchmark of `modelgate check` on a generated 20,000-file repository.
# Usage: bench/run.sh [FILES]   (run from anywhere; builds a release binary first)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
files=${1:-20000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet --manifest-path "$root/Cargo.toml"
bin="${CARGO_TARGET_DIR:-$root/target}/release/modelgate"
python3 "$here/gen_repo.py" "$work/repo" "$files"

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "modelgate $("$bin" --version | cut -d' ' -f2), $files files"
"$bin" check "$work/repo" --format json > "$work/out.json" || true
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print('findings:', d['summary'])" "$work/out.json"
# warm the page cache, then time 10 runs
"$bin" check "$work/repo" --format json > /dev/null || true
times=()
for _ in $(seq 10); do
  s=$(date +%s%N)
  "$bin" check "$work/repo" --format json > /dev/null || true
  e=$(date +%s%N)
  times+=($(( (e - s) / 1000000 )))
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
echo "wall ms over 10 runs: min $(echo "$sorted" | head -1), median $(echo "$sorted" | sed -n 5p), max $(echo "$sorted" | tail -1)"
/usr/bin/time -v "$bin" check "$work/repo" --format json 2>&1 >/dev/null | grep -E "Maximum resident" | sed 's/^\s*/peak memory: /'
