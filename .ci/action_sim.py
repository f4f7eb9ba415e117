#!/usr/bin/env python3
"""Runs a composite action's steps locally the way the GitHub runner would, for CI.

Reads action.yml, resolves inputs (defaults, then --input NAME=VALUE), and for each step:
`uses:` steps are skipped (reported; actions/cache then behaves as a cache miss), `run:` steps
are run with `bash --noprofile --norc -eo pipefail` (the runner's bash) after substituting the
`${{ }}` expressions the runner supports here (inputs.*, steps.<id>.outputs.*, github.*,
runner.*, env.*). It simulates a push event: GITHUB_* and RUNNER_* variables, GITHUB_OUTPUT,
GITHUB_ENV, GITHUB_PATH and GITHUB_STEP_SUMMARY files. It prints a JSON report on stdout:
the action's outputs, each step's outcome, and the step summary's text.

With `--event pull_request`, it simulates a pull request from `feature` into `main`
(GITHUB_BASE_REF=main, GITHUB_HEAD_REF=feature).

Usage: action_sim.py ACTION_DIR WORKSPACE [--input NAME=VALUE]... [--home DIR]
                     [--event push|pull_request]
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from ruamel.yaml import YAML

EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def read_kv_file(path):
    """Parses a GITHUB_OUTPUT / GITHUB_ENV file: `k=v` lines and `k<<DELIM` heredocs."""
    out = {}
    if not path.exists():
        return out
    lines = path.read_text().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line:
            continue
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            key, delim = line.split("<<", 1)
            value = []
            while i < len(lines) and lines[i] != delim:
                value.append(lines[i])
                i += 1
            i += 1
            out[key] = "\n".join(value)
        elif "=" in line:
            key, value = line.split("=", 1)
            out[key] = value
        else:
            raise SystemExit(f"malformed line in {path.name}: {line!r}")
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("action_dir")
    ap.add_argument("workspace")
    ap.add_argument("--input", action="append", default=[])
    ap.add_argument("--home", help="HOME for the steps (default: a fresh temporary folder)")
    ap.add_argument("--event", choices=["push", "pull_request"], default="push")
    a = ap.parse_args()

    action_dir = Path(a.action_dir).resolve()
    workspace = Path(a.workspace).resolve()
    action = YAML(typ="safe").load((action_dir / "action.yml").read_text())
    if action["runs"]["using"] != "composite":
        raise SystemExit("only composite actions are simulated")

    given = {}
    for item in a.input:
        k, _, v = item.partition("=")
        if k not in action.get("inputs", {}):
            raise SystemExit(f"unknown input {k!r}")
        given[k] = v
    inputs = {}
    for name, spec in (action.get("inputs") or {}).items():
        spec = spec or {}
        if name in given:
            inputs[name] = given[name]
        elif "default" in spec:
            inputs[name] = str(spec["default"])
        elif spec.get("required"):
            raise SystemExit(f"input {name!r} is required")
        else:
            inputs[name] = ""

    tmp = Path(tempfile.mkdtemp(prefix="action-sim-"))
    runner_temp = tmp / "runner-temp"
    runner_temp.mkdir()
    home = Path(a.home).resolve() if a.home else tmp / "home"
    home.mkdir(exist_ok=True)
    summary = tmp / "step-summary.md"
    summary.touch()
    event = tmp / "event.json"
    pr = a.event == "pull_request"
    if pr:
        event.write_text(json.dumps({"number": 1, "pull_request": {"base": {"ref": "main"}, "head": {"ref": "feature"}}}))
    else:
        event.write_text(json.dumps({"ref": "refs/heads/main", "commits": []}))

    real_home = Path.home()
    env = {
        # the toolchain of the machine (HOME changes below, so name its folders)
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "CARGO_HOME": os.environ.get("CARGO_HOME", str(real_home / ".cargo")),
        "RUSTUP_HOME": os.environ.get("RUSTUP_HOME", str(real_home / ".rustup")),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "CI": "true",
        "GITHUB_ACTIONS": "true",
        "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_ACTION_PATH": str(action_dir),
        "GITHUB_ACTION_REPOSITORY": "",
        "GITHUB_EVENT_NAME": a.event,
        "GITHUB_EVENT_PATH": str(event),
        "GITHUB_REF": "refs/pull/1/merge" if pr else "refs/heads/main",
        "GITHUB_REF_NAME": "1/merge" if pr else "main",
        "GITHUB_BASE_REF": "main" if pr else "",
        "GITHUB_HEAD_REF": "feature" if pr else "",
        "GITHUB_SHA": "0" * 40,
        "GITHUB_REPOSITORY": "example/model",
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_RUN_ID": "1",
        "GITHUB_JOB": "lint",
        "GITHUB_STEP_SUMMARY": str(summary),
        "RUNNER_OS": "Linux",
        "RUNNER_ARCH": "X64",
        "RUNNER_TEMP": str(runner_temp),
    }
    for k in ("CARGO_TARGET_DIR", "CARGO_TERM_COLOR", "RUSTFLAGS"):
        if k in os.environ:
            env[k] = os.environ[k]
    github_ctx = {
        "action_path": str(action_dir),
        "workspace": str(workspace),
        "event_name": a.event,
        "ref": env["GITHUB_REF"],
        "sha": env["GITHUB_SHA"],
        "repository": env["GITHUB_REPOSITORY"],
        "base_ref": env["GITHUB_BASE_REF"],
        "head_ref": env["GITHUB_HEAD_REF"],
    }
    runner_ctx = {"os": "Linux", "arch": "X64", "temp": str(runner_temp)}
    steps_ctx = {}

    def evaluate(expr, step_env):
        parts = expr.split(".")
        if parts[0] == "inputs" and len(parts) == 2 and parts[1] in inputs:
            return inputs[parts[1]]
        if parts[0] == "steps" and len(parts) == 4 and parts[2] == "outputs":
            return steps_ctx.get(parts[1], {}).get(parts[3], "")
        if parts[0] == "github" and len(parts) == 2 and parts[1] in github_ctx:
            return github_ctx[parts[1]]
        if parts[0] == "runner" and len(parts) == 2 and parts[1] in runner_ctx:
            return runner_ctx[parts[1]]
        if parts[0] == "env" and len(parts) == 2:
            return step_env.get(parts[1], "")
        raise SystemExit(f"expression not supported by the simulation: ${{{{ {expr} }}}}")

    def substitute(text, step_env):
        return EXPR.sub(lambda m: evaluate(m.group(1), step_env), str(text))

    report = {"steps": [], "outputs": {}, "summary": "", "conclusion": "success"}
    failed = False
    for n, step in enumerate(action["runs"]["steps"]):
        name = step.get("name") or step.get("uses") or f"step {n + 1}"
        if failed:
            report["steps"].append({"name": name, "outcome": "skipped"})
            continue
        if "if" in step:
            raise SystemExit(f"{name}: `if:` is not supported by the simulation")
        if "uses" in step:
            report["steps"].append({"name": name, "outcome": "skipped (uses)", "uses": step["uses"]})
            continue
        if step.get("shell") != "bash":
            raise SystemExit(f"{name}: a run step needs `shell: bash`")
        step_env = dict(env)
        for k, v in (step.get("env") or {}).items():
            step_env[k] = substitute(v, step_env)
        script_text = step["run"]
        if EXPR.search(script_text):
            # the runner would interpolate it; we refuse: inputs must go through env
            raise SystemExit(f"{name}: `${{{{ }}}}` inside run: (template injection)")
        out_file = tmp / f"output-{n}"
        env_file = tmp / f"env-{n}"
        path_file = tmp / f"path-{n}"
        for f in (out_file, env_file, path_file):
            f.touch()
        step_env.update(
            {"GITHUB_OUTPUT": str(out_file), "GITHUB_ENV": str(env_file), "GITHUB_PATH": str(path_file)}
        )
        script = tmp / f"step-{n}.sh"
        script.write_text(script_text)
        cwd = workspace / step.get("working-directory", ".")
        p = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=cwd,
            env=step_env,
            stdout=sys.stderr,
            stderr=sys.stderr,
        )
        outputs = read_kv_file(out_file)
        if "id" in step:
            steps_ctx[step["id"]] = outputs
        env.update(read_kv_file(env_file))
        added = [l for l in path_file.read_text().split("\n") if l]
        if added:
            env["PATH"] = ":".join(reversed(added)) + ":" + env["PATH"]
        outcome = "success" if p.returncode == 0 else "failure"
        report["steps"].append(
            {"name": name, "id": step.get("id"), "outcome": outcome, "exit": p.returncode, "outputs": outputs}
        )
        if p.returncode != 0:
            failed = True
            report["conclusion"] = "failure"

    for name, spec in (action.get("outputs") or {}).items():
        report["outputs"][name] = substitute(spec.get("value", ""), env)
    report["summary"] = summary.read_text()
    json.dump(report, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
