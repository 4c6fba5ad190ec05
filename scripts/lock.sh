#!/usr/bin/env bash
# Pin every dependency (and the test tools) to the newest release inside the ranges of
# pyproject.toml, in constraints.txt, which the README's commands and CI install from.
# Run from anywhere; review the diff, run the suite, commit both files together.
set -euo pipefail
cd "$(dirname "$0")/.."
tools="$(mktemp -d)"
trap 'rm -rf "$tools"' EXIT
python3 -m venv "$tools"
"$tools/bin/pip" install -q 'pip-tools>=7.4,<8'
CUSTOM_COMPILE_COMMAND="scripts/lock.sh" "$tools/bin/pip-compile" --quiet --upgrade --extra test --strip-extras --allow-unsafe \
    --no-emit-index-url --no-emit-find-links --output-file constraints.txt pyproject.toml
