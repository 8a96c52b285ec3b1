#!/usr/bin/env bash
# action.yml, step 2: `git hygiene ci` with the action's inputs. Never fails itself: it records
# the exit code (output exit-code) so the SARIF upload runs first and the last step fails the job.
# Env: HYGIENE_BASE, HYGIENE_HEAD, HYGIENE_ARGS (split on spaces), HYGIENE_SARIF.
set -uo pipefail
args=(ci)
if [ -n "${HYGIENE_BASE:-}" ]; then
  args+=(--base "$HYGIENE_BASE")
fi
if [ -n "${HYGIENE_HEAD:-}" ]; then
  args+=(--head "$HYGIENE_HEAD")
fi
if [ -n "${HYGIENE_ARGS:-}" ]; then
  read -r -a extra <<<"$HYGIENE_ARGS"
  args+=("${extra[@]}")
fi
sarif="${HYGIENE_SARIF:-git-hygiene.sarif}"
if [ -n "$sarif" ]; then
  mkdir -p "$(dirname "$sarif")"
  rm -f "$sarif"
  args+=(--report "sarif=$sarif")
fi
status=0
git hygiene "${args[@]}" || status=$?
echo "exit-code=$status" >>"$GITHUB_OUTPUT"
if [ -n "$sarif" ] && [ -s "$sarif" ]; then
  echo "sarif=$sarif" >>"$GITHUB_OUTPUT"
fi
