#!/usr/bin/env bash
# CI: `modelgate bom` on every fixture and on a generated tree, each BOM validated against the
# official CycloneDX 1.6 JSON schema by cyclonedx-python-lib's strict validator.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${MODELGATE_CI_VENV:-$PWD/target/ci-venv}
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
if ! "$venv/bin/python" -c 'import cyclonedx.validation.json' 2>/dev/null; then
  "$venv/bin/pip" install --quiet "cyclonedx-python-lib[json-validation]==11.12.0"
fi
bin=${CARGO_TARGET_DIR:-$PWD/target}/debug/modelgate
[ -x "$bin" ] || cargo build --quiet
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# a generated tree: two models, an LFS pointer, a closed component, an evaluation table
gen="$out/generated"
mkdir -p "$gen/models/a" "$gen/models/b" "$gen/training"
printf '[release]\nmode = "hybrid"\n\n[components.training-code]\nstatus = "closed"\npaths = ["training/**"]\n' > "$gen/modelgate.toml"
printf '# Models\n\nTwo models of the Acme family, each with its own card in models/, released as described there.\n' > "$gen/README.md"
printf -- '---\nlicense: mit\ndatasets:\n- acme/reviews\npipeline_tag: text-classification\n---\n\n# acme/a\n\n## Intended Use\n\nSorting reviews by sentiment.\n\n## Evaluation\n\n| split | accuracy | f1 |\n|---|---|---|\n| test | 91.2 | 0.90 |\n\nPaper: https://arxiv.org/abs/2401.00001\n' > "$gen/models/a/README.md"
printf '{"model_type": "bert"}' > "$gen/models/a/config.json"
head -c 4096 /dev/urandom > "$gen/models/a/model.safetensors"
printf -- '---\nlicense: other\nlicense_name: acme-model\n---\n\n# acme/b\n\n## Limitations\n\nEnglish only.\n' > "$gen/models/b/README.md"
printf 'version https://git-lfs.github.com/spec/v1\noid sha256:%s\nsize 123456\n' \
  "$(printf x | sha256sum | cut -d' ' -f1)" > "$gen/models/b/model.safetensors"
printf 'print("train")\n' > "$gen/training/train.py"

boms=()
for dir in fixtures/*/ "$gen"; do
  name=$(basename "$dir")
  [ "$name" = packs ] && continue
  if [ "$name" = bad-policy ]; then
    # a policy that cannot be read: no BOM, exit 2 (the contract's meaning of 2)
    if "$bin" bom "$dir" >/dev/null 2>&1; then echo "bom accepted fixtures/bad-policy"; exit 1; fi
    continue
  fi
  "$bin" bom "$dir" --output "$out/$name.cdx.json" 2>/dev/null
  boms+=("$out/$name.cdx.json")
done
"$bin" bom "$gen" --no-hashes --output "$out/generated-no-hashes.cdx.json"
boms+=("$out/generated-no-hashes.cdx.json")
"$venv/bin/python" - "${boms[@]}" <<'PY'
import sys
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

validator = JsonStrictValidator(SchemaVersion.V1_6)
bad = 0
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        error = validator.validate_str(f.read())
    if error is not None:
        bad += 1
        print(f"{path}: invalid CycloneDX 1.6: {error}")
print(f"{len(sys.argv) - 1 - bad} passed, {bad} failed")
sys.exit(1 if bad else 0)
PY
