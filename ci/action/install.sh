#!/usr/bin/env bash
# action.yml, step 1: pip-installs git-hygiene (the prebuilt wheel, nothing is compiled) into a
# fresh virtual environment under RUNNER_TEMP and puts its bin directory on PATH for later steps.
# Env: HYGIENE_VERSION, HYGIENE_PACKAGE (overrides git-hygiene==VERSION), HYGIENE_PYTHON.
set -euo pipefail
package="${HYGIENE_PACKAGE:-}"
if [ -z "$package" ]; then
  package="git-hygiene==${HYGIENE_VERSION:?the version input is empty}"
fi
python="${HYGIENE_PYTHON:-python3}"
if ! command -v "$python" >/dev/null 2>&1; then
  python=python # Windows runners name it python
fi
venv="${RUNNER_TEMP:?not running in GitHub Actions}/git-hygiene-venv"
"$python" -m venv "$venv"
bin="$venv/bin"
if [ -d "$venv/Scripts" ]; then
  bin="$venv/Scripts"
fi
"$bin/python" -m pip install --quiet --disable-pip-version-check "$package"
"$bin/git-hygiene" --version
echo "$bin" >>"$GITHUB_PATH"
