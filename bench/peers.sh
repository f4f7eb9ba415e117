#!/usr/bin/env bash
# modelgate beside the tools users compare it with, on one generated tree, runs interleaved so
# that the machine's load hits every tool alike:
#   - modelgate check (every rule, scanner and model-file inspection)
#   - picklescan (pickles only; PyPI, pinned), on the same tree
#   - ripgrep with a secret and personal-data pattern set (when `rg` is on PATH)
# Usage: bench/peers.sh [FILES] [RUNS]   (defaults: 20000 files, 7 runs)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
files=${1:-20000}
runs=${2:-7}
cd "$root"
cargo build --release --quiet
bin="$root/target/release/modelgate"
venv="$root/target/bench-venv"
if [ ! -x "$venv/bin/picklescan" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "picklescan==1.0.5"
fi
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
python3 bench/gen_repo.py "$tree" "$files" >/dev/null
# a few pickles for picklescan to find, the same for both tools
python3 - "$tree" <<'EOF'
import pickle, sys, os
for i in range(20):
    with open(os.path.join(sys.argv[1], f"models/state_{i}.pkl"), "wb") as f:
        pickle.dump({"layer": list(range(100)), "name": f"m{i}"}, f, protocol=2)
EOF
patterns='hf_[A-Za-z]{34}|ghp_[A-Za-z0-9]{36}|AKIA[0-9A-Z]{16}|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}|1[3-9][0-9]{9}'
ms() { python3 -c 'import time,subprocess,sys; t=time.perf_counter(); subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL); print(round((time.perf_counter()-t)*1000))' "$@"; }
declare -A all
tools="modelgate picklescan"
command -v rg >/dev/null && tools="$tools ripgrep"
for _ in $(seq "$runs"); do
  all[modelgate]+="$(ms "$bin" check "$tree" --format json --fail-on never) "
  all[picklescan]+="$(ms "$venv/bin/picklescan" -p "$tree") "
  if command -v rg >/dev/null; then
    all[ripgrep]+="$(ms rg -c -e "$patterns" "$tree") "
  fi
done
echo "machine: $(nproc) cores; $files files; $runs runs each, interleaved"
for t in $tools; do
  python3 -c 'import sys,statistics; v=sorted(map(int,sys.argv[2:])); print(f"{sys.argv[1]:<11} wall ms: min {v[0]}, median {int(statistics.median(v))}, max {v[-1]}")' "$t" ${all[$t]}
done
