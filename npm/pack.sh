#!/bin/sh
# Packs the npm launcher (`git-hygiene`) and this machine's platform package into DIR, as the
# tarballs `npm install` takes:  npm/pack.sh DIR
# GIT_HYGIENE_PACK_BINARY: the binary to ship (default: target/release/git-hygiene, from
# `cargo build --release`); tests point it at the debug build.
set -eu
[ $# -eq 1 ] || { echo "usage: npm/pack.sh DIR" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
exe=git-hygiene
case "$(uname -s)" in MINGW* | MSYS* | CYGWIN*) exe=git-hygiene.exe ;; esac
bin=${GIT_HYGIENE_PACK_BINARY:-$root/target/release/$exe}
if [ ! -f "$bin" ]; then
  echo "npm/pack.sh: $bin not found: run \`cargo build --release\` or set GIT_HYGIENE_PACK_BINARY" >&2
  exit 2
fi
mkdir -p "$1"
out=$(cd "$1" && pwd)
pkg=$(node "$here/stage.js" host)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
node "$here/stage.js" launcher "$stage/git-hygiene"
node "$here/stage.js" platform "$pkg" "$bin" "$stage/$pkg"
for dir in "$stage/git-hygiene" "$stage/$pkg"; do
  name=$(cd "$dir" && npm pack --silent --pack-destination "$out")
  echo "$out/$name"
done
