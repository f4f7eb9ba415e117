#!/usr/bin/env bash
# Scanner benchmark: `modelgate check` side by side with picklescan, modelscan, detect-secrets,
# trufflehog3, reuse and ripgrep (gitleaks is a Go binary from GitHub releases, not reachable here), on one generated tree with planted items and a clean twin.
# Usage: bench/scan/run.sh            (RUNS=5 DATA_MB=50 by default; run from anywhere)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
runs=${RUNS:-5}
data_mb=${DATA_MB:-50}
venv=${BENCH_VENV:-$HOME/.cache/modelgate-bench/venv}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# pinned tools: PyPI packages in a venv, ripgrep from Debian (or crates.io)
if [ ! -x "$venv/bin/detect-secrets" ] || [ ! -x "$venv/bin/modelscan" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q picklescan==1.0.5 modelscan==0.8.8 detect-secrets==1.5.0 reuse==6.2.0
fi
# trufflehog3 pins attrs 20.3, which breaks reuse: a venv of its own
th3="$venv-trufflehog3"
if [ ! -x "$th3/bin/trufflehog3" ]; then
  python3 -m venv "$th3"
  "$th3/bin/pip" install -q trufflehog3==3.0.10
fi
export TRUFFLEHOG3="$th3/bin/trufflehog3"
if ! command -v rg > /dev/null; then
  apt-get install -y -q ripgrep=13.0.0-4+b2 > /dev/null || cargo install ripgrep --version 14.1.1 --locked
fi
cargo build --release --quiet --manifest-path "$root/Cargo.toml"
bin="${CARGO_TARGET_DIR:-$root/target}/release/modelgate"

# real licence texts: the ones the reuse package ships
licences=$(echo "$venv"/lib/python3*/site-packages/reuse-*.dist-info/licenses/LICENSES)
python3 "$here/gen_tree.py" "$work" "$licences" "$data_mb"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "tree: $(find "$work/planted" -type f | wc -l) files, $(du -sh --apparent-size "$work/planted" | cut -f1) apparent ($(du -sh "$work/planted" | cut -f1) on disk; the 2 GB weights file is sparse)"
echo "versions: modelgate $("$bin" --version | cut -d' ' -f2), picklescan 1.0.5, modelscan 0.8.8, detect-secrets 1.5.0, trufflehog3 3.0.10, reuse 6.2.0, $(rg --version | head -1)"
echo "peak RSS from /usr/bin/time -v"
echo
python3 "$here/measure.py" "$work" "$bin" "$venv" "$runs" "$here/patterns.txt"
