#!/usr/bin/env python3
"""Writes a generated model repository for benchmarks.

Usage: gen_repo.py OUT_DIR [FILES]   (default 20000 files)

The tree looks like a large monorepo of model releases: a root card and policy, 40 model
folders each with a card, a config, sharded safetensors and pickle weights (small files with
valid headers), training and inference code, data samples, docs and assets, padded with source
files up to the requested count. Deterministic: the same arguments give the same tree.
"""
import json
import os
import random
import struct
import sys

CARD = """---
license: apache-2.0
language: [en, zh]
datasets:
- acme/corpus-{i}
---

# acme/model-{i}

## Model Details

A {i}-layer decoder-only transformer trained by Acme Labs for text generation in English and Chinese.

## Intended Use

Drafting text for writers who review every output before they use it anywhere.

## Out-of-Scope Use

Not for medical, legal or financial advice, and not for decisions about people.

## Training Data

[acme/corpus-{i}](https://huggingface.co/datasets/acme/corpus-{i}): public web text from 2019 to 2024, 40 billion tokens, CC-BY-4.0.

## Training Procedure

AdamW, learning rate 3e-4, 100,000 steps on 64 GPUs over nine days.

## Evaluation

MMLU 5-shot 48.1, HellaSwag 71.0, and an internal red-team set of 500 prompts.

## Bias, Risks, and Limitations

The model reflects biases of web text and can state false facts with confidence.

## Privacy

E-mail addresses and phone numbers were removed with a filter before training; to ask for removal write to privacy@acme.example.

## License

Apache-2.0.
"""


def safetensors(n):
    header = json.dumps({"__metadata__": {"format": "pt"}, "w": {"dtype": "F32", "shape": [n], "data_offsets": [0, 4 * n]}}).encode()
    header += b" " * ((8 - len(header) % 8) % 8)
    return struct.pack("<Q", len(header)) + header + bytes(4 * n)


def main():
    if len(sys.argv) not in (2, 3):
        print(__doc__)
        return 2
    out = sys.argv[1]
    total = int(sys.argv[2]) if len(sys.argv) == 3 else 20000
    rnd = random.Random(42)
    count = 0

    def write(rel, data):
        nonlocal count
        p = os.path.join(out, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode())
        count += 1

    write("modelgate.toml", '[release]\nmode = "open"\n')
    write("README.md", "# Acme models\n\nForty models under models/.\n")
    for name in ("SECURITY.md", "CONTRIBUTING.md", "CODE_OF_CONDUCT.md"):
        write(name, f"# {name[:-3]}\n\nSee the project handbook; contact team@acme.example.\n")
    write("LICENSE", "Licensed under the Apache License, Version 2.0: https://www.apache.org/licenses/LICENSE-2.0\n")
    write("DATA_STATEMENT.md", "# Data Statement\n\n## Source Data\n\nPublic web text.\n\n## Personal and Sensitive Information\n\nRemoved with a filter.\n\n## Licensing Information\n\nCC-BY-4.0.\n")
    for i in range(40):
        m = f"models/m{i:02d}"
        write(f"{m}/README.md", CARD.format(i=i))
        write(f"{m}/config.json", json.dumps({"num_hidden_layers": i, "hidden_size": 4096}))
        for s in range(4):
            write(f"{m}/model-{s:05d}-of-00004.safetensors", safetensors(16))
        write(f"{m}/training/train.py", "def train():\n    pass\n")
        for d in range(20):
            rows = "\n".join(json.dumps({"text": f"sample {d}-{r} about topic {rnd.randint(0, 999)}"}) for r in range(20))
            write(f"{m}/data/part-{d:03d}.jsonl", rows + "\n")
    k = 0
    while count < total:
        pkg = f"src/pkg{k // 500:03d}"
        write(f"{pkg}/mod_{k:05d}.py", f"def f_{k}(x):\n    return x * {k}\n")
        k += 1
    print(f"{count} files written under {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
