#!/usr/bin/env bash
# Integration checks (called by .ci/run): SARIF against the official schema, action.yml against
# GitHub's action schema and zizmor, the README workflow, and the action run with a simulated
# runner. One CARGO_TARGET_DIR for everything, so CI builds each profile once.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target}
venv=${MODELGATE_CI_VENV:-$PWD/target/ci-venv}
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
# pinned tools from PyPI (installed once; the venv lives in the target folder CI caches)
"$venv/bin/pip" install --quiet --disable-pip-version-check "check-jsonschema==0.39.0" "zizmor==1.32.0"
cj="$venv/bin/check-jsonschema"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "-- SARIF output validates against the SARIF 2.1.0 schema (tests/data/sarif-2.1.0.json)"
cargo build --quiet
mg="$CARGO_TARGET_DIR/debug/modelgate"
for fixture in open-bad-card hybrid-bad-protect open-bad-privacy multi-model; do
  status=0
  "$mg" check "fixtures/$fixture" --format sarif > "$work/$fixture.sarif" 2>/dev/null || status=$?
  [ "$status" -le 1 ] || { echo "modelgate exited $status on fixtures/$fixture"; exit 1; }
done
# a hostile tree: file names that need percent-encoding in SARIF URIs (space, `#`, `%`)
mkdir -p "$work/odd/data dir"
printf '# M\n' > "$work/odd/README.md"
printf '{"token": "ghp_%s"}\n' "Zq8rT2vX9kLm4NpQ7sWy1AbC3dEf5GhJ6kLm" > "$work/odd/data dir/a b#1 %.json"
status=0
"$mg" check "$work/odd" --format sarif > "$work/odd.sarif" 2>/dev/null || status=$?
[ "$status" -le 1 ] || { echo "modelgate exited $status on the odd-names tree"; exit 1; }
grep -q 'data%20dir/a%20b%231%20%25.json' "$work/odd.sarif" || { echo "SARIF URI not percent-encoded"; exit 1; }
# the schema's patterns are ECMA-262 regexes that Python's engine reads as they are meant
"$cj" --regex-variant python --schemafile tests/data/sarif-2.1.0.json "$work"/*.sarif

echo "-- action.yml against GitHub's action schema, and zizmor"
"$cj" --builtin-schema vendor.github-actions action.yml
"$venv/bin/zizmor" --offline --no-progress action.yml

echo "-- the example workflow of docs/usage-ci.md"
# the first ```yaml block holding `on:` is the workflow users copy
python3 - docs/usage-ci.md "$work/workflow/.github/workflows/modelgate.yml" <<'PY'
import re, sys, pathlib
text = pathlib.Path(sys.argv[1]).read_text()
blocks = [b for b in re.findall(r"```yaml\n(.*?)```", text, re.S) if re.search(r"^on:", b, re.M)]
if not blocks:
    sys.exit("no workflow example in docs/usage-ci.md")
out = pathlib.Path(sys.argv[2]); out.parent.mkdir(parents=True); out.write_text(blocks[0])
PY
"$cj" --builtin-schema vendor.github-workflows "$work/workflow/.github/workflows/modelgate.yml"
"$venv/bin/zizmor" --offline --no-progress "$work/workflow/.github/workflows/modelgate.yml"

echo "-- the action's steps with a simulated runner (push event)"
sim() { "$venv/bin/python" .ci/action_sim.py . "$@"; }
field() { "$venv/bin/python" -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$@"; }
cp -r fixtures/open-bad-card "$work/bad"
home="$work/home"; mkdir -p "$home"
sim "$work/bad" --home "$home" --input sarif-file=results.sarif > "$work/bad.json"
"$mg" check "$work/bad" --format json --fail-on never > "$work/bad-direct.json" 2>/dev/null
want_errors=$(field "$work/bad-direct.json" 'd["summary"]["error"]')
want_warnings=$(field "$work/bad-direct.json" 'd["summary"]["warning"]')
want_rows=$(field "$work/bad-direct.json" 'len(d["diagnostics"])')
test "$(field "$work/bad.json" 'd["conclusion"]')" = failure
test "$(field "$work/bad.json" '[s for s in d["steps"] if s.get("id")=="check"][0]["exit"]')" = 1
test "$(field "$work/bad.json" 'd["outputs"]["errors"]')" = "$want_errors"
test "$(field "$work/bad.json" 'd["outputs"]["warnings"]')" = "$want_warnings"
test "$(field "$work/bad.json" 'd["outputs"]["sarif-file"]')" = results.sarif
test "$want_errors" -gt 0
# the step summary holds a row for every finding
rows=$(field "$work/bad.json" 'sum(1 for l in d["summary"].splitlines() if l.startswith("| `"))')
test "$rows" = "$want_rows" || { echo "summary rows: $rows, findings: $want_rows"; exit 1; }
"$cj" --regex-variant python --schemafile tests/data/sarif-2.1.0.json "$work/bad/results.sarif"

cp -r fixtures/open-good "$work/good"
sim "$work/good" --home "$home" > "$work/good.json"
test "$(field "$work/good.json" 'd["conclusion"]')" = success
test "$(field "$work/good.json" 'd["outputs"]["errors"]')" = 0
test "$(field "$work/good.json" 'd["outputs"]["sarif-file"]')" = ""

# a bad input fails the step (exit 2), never silently passes
sim "$work/good" --home "$home" --input mode=opne > "$work/bad-input.json"
test "$(field "$work/bad-input.json" '[s for s in d["steps"] if s.get("id")=="check"][0]["exit"]')" = 2

# pull requests: the action passes --diff-base origin/<base branch> (once check has --diff-base)
if "$mg" check --help | grep -q -- '--diff-base'; then
  pr="$work/pr"; cp -r fixtures/open-bad-card "$pr"
  g() { git -C "$pr" -c user.name=ci -c user.email=ci@example.invalid "$@"; }
  g init -q -b main && g add -A && g commit -q -m base && g update-ref refs/remotes/origin/main HEAD
  g checkout -q -b feature
  # nothing changed since the base: no finding in a file is reported
  sim "$pr" --home "$home" --event pull_request > "$work/pr.json"
  test "$(field "$work/pr.json" 'd["outputs"]["errors"]')" = 0
  # a change to the card: its findings are reported
  echo "More text." >> "$pr/README.md"; g commit -q -am change
  sim "$pr" --home "$home" --event pull_request > "$work/pr2.json"
  test "$(field "$work/pr2.json" 'd["conclusion"]')" = failure
  test "$(field "$work/pr2.json" 'd["outputs"]["errors"]')" = "$want_errors"
else
  echo "(check has no --diff-base yet: the pull_request simulation is skipped)"
fi

echo "-- integrations ok in $((SECONDS - started)) s"
