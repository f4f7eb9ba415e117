#!/usr/bin/env bash
# The Python wheel of the binary (pyproject.toml, maturin's binary bindings): built with a pinned
# maturin, installed into a fresh venv, and run from there the way `pip install modelgate-cli`
# users run it. Leaves the wheel in $CARGO_TARGET_DIR/wheels (the pre-commit mirror's test and the
# Action's test use it) and the release binary in $CARGO_TARGET_DIR/release.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target}
venv=${MODELGATE_CI_VENV:-$PWD/target/ci-venv}
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check "maturin==1.16.0"
version=$(python3 -c 'import tomllib; print(tomllib.load(open("Cargo.toml", "rb"))["package"]["version"])')
wheels="$CARGO_TARGET_DIR/wheels"
rm -rf "$wheels"

echo "-- maturin build --release"
"$venv/bin/maturin" build --release --locked --out "$wheels" 2>&1 | grep -v '^ *Compiling ' || true
wheel=$(ls "$wheels"/modelgate_cli-"$version"-*.whl 2>/dev/null | head -n 1)
[ -n "$wheel" ] || { echo "wheel.sh: maturin built no modelgate_cli-$version wheel"; ls -l "$wheels" || true; exit 1; }
echo "wheel: $(basename "$wheel") ($(( $(stat -c %s "$wheel") / 1024 )) KiB)"

# the wheel holds the command and its metadata, no Python code
"$venv/bin/python" - "$wheel" "$version" <<'PY'
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
data = f"modelgate_cli-{sys.argv[2]}.data/scripts/"
code = [n for n in names if not (n.startswith(data) or ".dist-info/" in n)]
if code or data + "modelgate" not in names:
    sys.exit(f"unexpected wheel contents: {names}")
PY

echo "-- installed into a fresh venv"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check --no-index "$wheel"
mg="$work/venv/bin/modelgate"
got=$("$mg" --version)
[ "$got" = "modelgate $version" ] || { echo "wheel.sh: --version says '$got'"; exit 1; }
echo "$got"
# a release that passes, and one that fails with findings in JSON
"$mg" check fixtures/open-good --quiet
status=0
"$mg" check fixtures/open-bad-card --format json > "$work/bad.json" || status=$?
[ "$status" = 1 ] || { echo "wheel.sh: check of open-bad-card exited $status"; exit 1; }
errors=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["summary"]["error"])' "$work/bad.json")
[ "$errors" -gt 0 ] || { echo "wheel.sh: no error finding in open-bad-card"; exit 1; }
echo "-- wheel ok in $((SECONDS - started)) s"
