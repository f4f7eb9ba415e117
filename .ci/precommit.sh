#!/usr/bin/env bash
# The pre-commit hook of .pre-commit-hooks.yaml, tried with the real pre-commit against a
# throw-away git repository: a staged change that breaks a rule must fail and print the finding;
# a clean one must pass.
#
# pre-commit's `rust` language runs `cargo install --path .` on a clone of this repository; it
# honours CARGO_TARGET_DIR, so the release build lands in the same target folder as the rest of
# CI and later runs only rebuild modelgate itself. CARGO_HOME is left alone (its registry cache
# is shared too).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
venv=${MODELGATE_CI_VENV:-$root/target/ci-venv}
if [ ! -x "$venv/bin/pre-commit" ]; then
  [ -x "$venv/bin/pip" ] || python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet -r "$root/.ci/precommit-requirements.txt"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# a store of our own: the hook is installed from this checkout, never from a cache of old ones
export PRE_COMMIT_HOME="$work/store"
unset GIT_DIR GIT_INDEX_FILE GIT_WORK_TREE

repo="$work/repo"
git init -q "$repo"
cp "$root"/fixtures/closed-good/* "$repo"/
g() { git -C "$repo" -c user.name=CI -c user.email=ci@example.invalid -c commit.gpgsign=false "$@"; }
g add -A
g commit -qm "a closed release that passes"

try() {
  (cd "$repo" && "$venv/bin/pre-commit" try-repo "$root" modelgate --color never) >"$work/out" 2>&1
}

start=$(date +%s)
# 1. staged weights in a closed release: the hook fails and prints the finding
printf 'not really weights' > "$repo/model.safetensors"
g add model.safetensors
if try; then
  cat "$work/out"; echo "precommit: the hook passed a commit with closed weights"; exit 1
fi
if ! grep -q "protect/closed-weights" "$work/out"; then
  cat "$work/out"; echo "precommit: the hook failed without printing the finding"; exit 1
fi
echo "precommit: staged weights rejected ($(( $(date +%s) - start )) s, with the hook's install)"

# 2. the same weights unstaged (left in the work tree) and a clean change staged: it passes
g rm -q --cached model.safetensors
printf '\nSee the evaluation report for details.\n' >> "$repo/README.md"
g add README.md
start=$(date +%s)
if ! try; then
  cat "$work/out"; echo "precommit: the hook failed on a clean commit"; exit 1
fi
echo "precommit: clean commit accepted ($(( $(date +%s) - start )) s)"
