#!/usr/bin/env bash
# SIGKILL at random moments of the lint step's unstaged-work protection, then recovery.
#
#   benches/keep_sigkill.sh [TRIALS]        (default 200; BIN=path/to/git-hygiene, default target/debug)
#   AUTOCRLF=1 benches/keep_sigkill.sh      the same with core.autocrlf=true: what is hidden is
#                                           git checkout-index's CRLF rendering, not the blob
#
# A repository with 20 partially staged files (the work-tree versions also executable) and a
# symlink staged with one target while the work tree points to another; a linter that fails, so
# no commit is ever made and the state after each trial must equal the state before. Each trial
# starts `git commit`, waits for its pre-commit git-hygiene to start, SIGKILLs it after a random delay
# (0 to 1.3x a measured run), then runs `git hygiene restore`. Counts:
#   lost      the work tree (bytes, modes, links) is not exactly as before
#   spurious  something was kept under .git/hygiene/kept (the linter changes nothing, so any
#             kept copy is a duplicate of the user's own version)
#   journals  journals left after the recovery
# Both lost and spurious must be 0. Needs bash and GNU coreutils.
set -euo pipefail

TRIALS=${1:-200}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$ROOT/target/debug/git-hygiene}
[ -x "$BIN" ] || { echo "no binary at $BIN: cargo build first" >&2; exit 2; }

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$TMP/bin" "$TMP/home"
ln -s "$BIN" "$TMP/bin/git-hygiene"
export PATH="$TMP/bin:$PATH" HOME="$TMP/home" GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com
unset GIT_DIR GIT_INDEX_FILE GIT_WORK_TREE HYGIENE_DEBUG_KILL_AT

R="$TMP/r"
git init -q -b feature/sigkill "$R"
cd "$R"
[ -n "${AUTOCRLF:-}" ] && git config core.autocrlf true
for i in $(seq -w 1 20); do printf 'x = %s\n' "$i" > "f$i.py"; done
ln -s old-target link
git add . && git commit -q --no-verify -m init
git hygiene install >/dev/null
# The hook tells its pid (`exec` keeps it: it is git-hygiene's) so the kill needs no search.
sed -i "1a echo \$\$ > '$TMP/hook.pid'" .git/hooks/pre-commit
printf '[[lint]]\nname = "fails"\nglob = "*"\nrun = "false {files}"\n' > .hygiene.toml
for i in $(seq -w 1 20); do
  printf 'x = %s\nstaged = 1\n' "$i" > "f$i.py"
  git add "f$i.py" 2>/dev/null
  printf 'x = %s\nstaged = 1\r\nunstaged = "\xff"' "$i" > "f$i.py"
  chmod 751 "f$i.py"
done
rm link && ln -s staged-target link && git add link
rm link && ln -s work-tree-target link

state() {
  for f in f*.py link .hygiene.toml; do
    if [ -L "$f" ]; then echo "$f link $(readlink "$f")"
    else echo "$f $(stat -c %a "$f") $(sha1sum < "$f")"; fi
  done
  git ls-files -s
}
BEFORE=$(state)

start=$(date +%s%N)
git commit -q -m "feat: x" >/dev/null 2>&1 || true
run_us=$(( ($(date +%s%N) - start) / 1000 ))
[ "$(state)" = "$BEFORE" ] || { echo "a normal run changed the state" >&2; exit 1; }
max_us=$(( run_us * 13 / 10 ))
echo "one run: ${run_us} us; kill delays 0..${max_us} us after the hook starts; $TRIALS trials"

lost=0 spurious=0 journals=0 killed=0
for t in $(seq 1 "$TRIALS"); do
  rm -f "$TMP/hook.pid"
  git commit -q -m "feat: x" >/dev/null 2>&1 &
  gpid=$!
  hpid=""
  while kill -0 "$gpid" 2>/dev/null; do
    hpid=$(cat "$TMP/hook.pid" 2>/dev/null || true)
    [ -n "$hpid" ] && break
  done
  if [ -n "$hpid" ]; then
    delay=$(( (RANDOM * 32768 + RANDOM) % (max_us + 1) ))
    sleep "$(printf '0.%06d' "$delay")"
    kill -KILL "$hpid" 2>/dev/null && killed=$((killed + 1)) || true
  fi
  wait "$gpid" 2>/dev/null || true
  git hygiene restore >/dev/null 2>&1 || true
  if [ "$(state)" != "$BEFORE" ]; then
    lost=$((lost + 1))
    echo "trial $t: LOST (delay ${delay:-?} us)"; diff <(echo "$BEFORE") <(state) || true
    exit 1
  fi
  if [ -d .git/hygiene/kept ] && [ -n "$(ls -A .git/hygiene/kept)" ]; then
    spurious=$((spurious + 1))
    echo "trial $t: spurious kept copy (delay ${delay:-?} us): $(ls .git/hygiene/kept/*)"
    rm -rf .git/hygiene/kept
  fi
  if [ -d .git/hygiene/keep ] && [ -n "$(ls -A .git/hygiene/keep)" ]; then
    journals=$((journals + 1))
    echo "trial $t: journal left (delay ${delay:-?} us): $(cd .git/hygiene/keep && find . | head -5 | tr '\n' ' ')"
    rm -rf .git/hygiene/keep/*
  fi
done
echo "trials $TRIALS, killed mid-run $killed, lost $lost, spurious kept copies $spurious, journals left $journals"
[ "$lost" -eq 0 ] && [ "$spurious" -eq 0 ] && [ "$journals" -eq 0 ]
