#!/usr/bin/env python3
"""Writes the scanner benchmark's trees: one with planted items, one clean.

Usage: gen_tree.py OUT_DIR LICENCE_DIR [DATA_MB]

OUT_DIR/planted and OUT_DIR/clean get the same repository shape: a typical model card, a data
statement, real licence texts (copied from LICENCE_DIR, the licence files that the benchmark's
Python packages ship), configs, code, notebooks, JSONL data samples (DATA_MB in all), benign
pickles and a 2 GB sparse safetensors file. `planted` adds secrets, personal data and malicious
pickles, and OUT_DIR/manifest.json lists every planted item (path, line, kind).

Every secret is built here from a prefix and pseudo-random characters; every pickle is written
as bytes, by Python's pickle module on plain data (benign) or opcode by opcode (malicious): none
is ever loaded. Nothing generated is committed.
"""
import json
import os
import pickle
import random
import shutil
import struct
import sys

ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
BASE64 = ALNUM + "+/"

CARD = """---
license: apache-2.0
language: [en]
datasets:
- acme/corpus
---

# acme/model

## Model Details

A 24-layer decoder-only transformer trained by Acme Labs for text generation.

## Intended Use

Drafting text for writers who review every output before they use it.

## Out-of-Scope Use

Not for medical, legal or financial advice, and not for decisions about people.

## Training Data

[acme/corpus](https://huggingface.co/datasets/acme/corpus): public web text from 2019 to 2024.

## Training Procedure

AdamW, learning rate 3e-4, 100,000 steps on 64 GPUs; framework torch==2.1.0, CUDA 12.1.105.

## Evaluation

MMLU 5-shot 48.1, HellaSwag 71.0.

## Bias, Risks, and Limitations

The model reflects biases of web text and can state false facts with confidence.

## Privacy

Personal data was removed with a filter before training; to ask for removal write to privacy@acme.org.

## License

Apache-2.0. Contact: Acme Labs, ml-team@acme.org.
"""

STATEMENT = """# Data Statement

## Summary

Public web text, deduplicated and filtered.

## Personal Information

The corpus contains no personal data: e-mail addresses, phone numbers and identity numbers were
removed by a filter before training.
"""

WORDS = ("the model reads a line of text and writes the next one while the weather stays "
         "fine and the team reviews every sample before release version 1.2.3 build 2024").split()


def rnd(r, alphabet, n):
    """Random characters; with both letters and digits when the alphabet has both."""
    mixed = any(c.isdigit() for c in alphabet) and any(c.isalpha() for c in alphabet)
    while True:
        s = "".join(r.choice(alphabet) for _ in range(n))
        if not mixed or (any(c.isdigit() for c in s) and any(c.isalpha() for c in s)):
            return s


def luhn_complete(partial):
    for d in range(10):
        cand = partial + str(d)
        total = 0
        for i, c in enumerate(reversed(cand)):
            v = int(c)
            if i % 2 == 1:
                v = v * 2 - 9 if v * 2 > 9 else v * 2
            total += v
        if total % 10 == 0:
            return cand
    raise AssertionError


def id_check(first17):
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return "10X98765432"[sum(int(c) * k for c, k in zip(first17, w)) % 11]


def iban(country, bban):
    digits = "".join(str(int(c, 36)) for c in bban + country + "00")
    return f"{country}{98 - int(digits) % 97:02d}{bban}"


def secrets(r):
    """(kind, value, how the line holds it)."""
    slack = f"{rnd(r, '0123456789', 12)}-{rnd(r, '0123456789', 13)}-{rnd(r, ALNUM, 24)}"
    return [
        ("hugging-face-token", "hf_" + rnd(r, ALNUM, 34)),
        ("openai-key", "sk-proj-" + rnd(r, ALNUM, 48)),
        ("anthropic-key", "sk-ant-api03-" + rnd(r, ALNUM, 90)),
        ("aws-access-key-id", "AKIA" + rnd(r, BASE32, 16)),
        ("aws-secret-access-key", rnd(r, BASE64, 40)),
        ("github-token", "ghp_" + rnd(r, ALNUM, 36)),
        ("gitlab-token", "glpat-" + rnd(r, ALNUM, 20)),
        ("google-api-key", "AIza" + rnd(r, ALNUM, 35)),
        ("slack-token", "xoxb-" + slack),
        ("url-credentials", f"postgres://trainer:{rnd(r, ALNUM, 14)}@db.acme.io"),
        ("private-key", "-----BEGIN RSA PRIVATE KEY-----"),
    ]


def personal(r):
    id17 = f"110105{r.randint(1960, 2000)}0{r.randint(1, 9)}1{r.randint(0, 9)}{r.randint(100, 999)}"
    return [
        ("email", f"user{r.randint(100, 999)}.name@corp-mail.cn"),
        ("phone", f"+44 20 7946 {r.randint(1000, 9999)}"),
        ("phone", f"139{r.randint(10000000, 99999999)}"),
        ("chinese-id", id17 + id_check(id17)),
        ("payment-card", luhn_complete("4556" + str(r.randint(10**10, 10**11 - 1)))),
        ("iban", iban("DE", f"370400440532{r.randint(100000, 999999)}")),
        ("us-ssn", f"{r.randint(100, 599)}-{r.randint(10, 99)}-{r.randint(1000, 9999)}"),
        ("ip-address", f"81.2.{r.randint(1, 250)}.{r.randint(1, 250)}"),
    ]


# Pickles. Benign: pickle.dumps of plain data. Malicious: opcodes written by hand that would
# call os.system / builtins.eval / subprocess if loaded (they never are).
def malicious_pickles():
    def glob(mod, name):
        return b"c" + mod.encode() + b"\n" + name.encode() + b"\n"

    cmd = b"X\x0a\x00\x00\x00echo pwned"
    proto2 = b"\x80\x02"
    return {
        "os_system.pkl": proto2 + glob("os", "system") + cmd + b"\x85R." ,
        "eval.pt": proto2 + glob("builtins", "eval") + b"X\x04\x00\x00\x001+1\x85R.",
        "subprocess.bin": proto2 + glob("subprocess", "Popen") + cmd + b"\x85R.",
        # protocol 4, STACK_GLOBAL with the names memoized first
        "stack_global.pkl": b"\x80\x04\x95\x1c\x00\x00\x00\x00\x00\x00\x00"
        + b"\x8c\x05posix\x94\x8c\x06system\x94\x93\x94"
        + b"\x8c\x04true\x85R.",
    }


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def sparse_safetensors(path, size):
    header = json.dumps({"w": {"dtype": "F16", "shape": [(size - 4096) // 2],
                               "data_offsets": [0, (size - 4096) // 2 * 2]}}).encode()
    header += b" " * (4096 - 8 - len(header))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(header)))
        f.write(header)
        f.truncate(8 + len(header) + (size - 4096) // 2 * 2)


def build(root, licences, data_mb, plant, r):
    manifest = []
    write(f"{root}/README.md", CARD)
    write(f"{root}/DATA_STATEMENT.md", STATEMENT)
    for i, lic in enumerate(sorted(os.listdir(licences))):
        shutil.copy(os.path.join(licences, lic), f"{root}/LICENSES/{lic}" if i else f"{root}/LICENSE")
        if i == 0:
            os.makedirs(f"{root}/LICENSES", exist_ok=True)
    write(f"{root}/config.json", json.dumps({"architectures": ["AcmeForCausalLM"], "hidden_size": 2048,
                                             "num_layers": 24, "vocab_size": 32000,
                                             "rope_theta": 10000.0, "torch_dtype": "float16"}, indent=2) + "\n")
    # code
    for i in range(400):
        lines = [f"# module {i}", "import torch", "", f"def layer_{i}(x, scale=0.{i}):",
                 "    return torch.nn.functional.gelu(x) * scale", ""]
        lines += [f"CONST_{k} = {r.randint(0, 10**9)}  # {' '.join(r.choices(WORDS, k=8))}" for k in range(60)]
        write(f"{root}/src/acme/mod_{i}.py", "\n".join(lines) + "\n")
    # notebooks
    for i in range(10):
        nb = {"cells": [{"cell_type": "code", "source": ["import os\n", f"x = {i}\n"], "outputs": []}],
              "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
        write(f"{root}/notebooks/explore_{i}.ipynb", json.dumps(nb, indent=1) + "\n")
    # data samples: DATA_MB in 20 files
    per_file = data_mb * 1024 * 1024 // 20
    for i in range(20):
        rows, size = [], 0
        while size < per_file:
            row = json.dumps({"id": len(rows), "text": " ".join(r.choices(WORDS, k=30)),
                              "score": round(r.random(), 4), "tokens": [r.randint(0, 32000) for _ in range(8)]})
            rows.append(row)
            size += len(row) + 1
        write(f"{root}/data/train_{i:02d}.jsonl", "\n".join(rows) + "\n")
    # benign pickles
    os.makedirs(f"{root}/checkpoints", exist_ok=True)
    for i in range(6):
        with open(f"{root}/checkpoints/state_{i}.pkl", "wb") as f:
            f.write(pickle.dumps({"step": i, "lr": 3e-4, "losses": [1.0 / (k + 1) for k in range(500)]}, protocol=2 + i % 4))
    sparse_safetensors(f"{root}/model.safetensors", 2 * 1024 ** 3)

    if not plant:
        return manifest
    # secrets in configs, scripts and a notebook
    lines = ["# deployment settings"]
    for kind, value in secrets(r):
        if kind == "private-key":
            body = "\n".join(rnd(r, BASE64, 64) for _ in range(4))
            write(f"{root}/deploy/id_rsa", f"{value}\n{body}\n-----END RSA PRIVATE KEY-----\n")
            manifest.append({"path": "deploy/id_rsa", "line": 1, "kind": kind, "value": value})
        elif kind == "aws-secret-access-key":
            write(f"{root}/scripts/aws.env", f"# aws\naws_secret_access_key = {value}\n")
            manifest.append({"path": "scripts/aws.env", "line": 2, "kind": kind, "value": value})
        else:
            lines.append(f"{kind.upper().replace('-', '_')} = \"{value}\"")
            manifest.append({"path": "scripts/settings.py", "line": len(lines), "kind": kind, "value": value})
    write(f"{root}/scripts/settings.py", "\n".join(lines) + "\n")
    # personal data, spread over data samples
    for n, (kind, value) in enumerate(personal(r)):
        path = f"data/train_{n:02d}.jsonl"
        with open(f"{root}/{path}", encoding="utf-8") as f:
            rows = f.read().split("\n")
        at = 10 + n * 37
        rows[at] = json.dumps({"id": at, "text": f"please reach me at {value} thanks"})
        write(f"{root}/{path}", "\n".join(rows))
        manifest.append({"path": path, "line": at + 1, "kind": kind, "value": value})
    for name, data in malicious_pickles().items():
        with open(f"{root}/checkpoints/{name}", "wb") as f:
            f.write(data)
        manifest.append({"path": f"checkpoints/{name}", "line": None, "kind": "malicious-pickle", "value": None})
    return manifest


def main():
    out, licences = sys.argv[1], sys.argv[2]
    data_mb = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    manifest = build(f"{out}/planted", licences, data_mb, True, random.Random(1))
    build(f"{out}/clean", licences, data_mb, False, random.Random(1))
    with open(f"{out}/manifest.json", "w") as f:
        json.dump(manifest, f, indent=1)
    print(f"trees written under {out}: {len(manifest)} planted items, {data_mb} MB of samples each")


if __name__ == "__main__":
    main()
