#!/bin/sh
# Builds and installs git-hygiene (`cargo install`), then installs its git hooks into REPO
# (default: the git repository you run this from, if any).
#   ./install.sh                 # binary only, or binary + hooks when run inside a repository
#   ./install.sh ~/src/my-repo   # binary + hooks in that repository
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v cargo >/dev/null 2>&1; then
  echo "install.sh: cargo not found. Install Rust first (rustup), then run ./install.sh again." >&2
  exit 2
fi
cargo install --quiet --locked --force --path "$here"
bin_dir="${CARGO_INSTALL_ROOT:-${CARGO_HOME:-$HOME/.cargo}}/bin"
case ":$PATH:" in
  *":$bin_dir:"*) ;;
  *) echo "note: add $bin_dir to your PATH so that \`git hygiene\` works:  export PATH=\"$bin_dir:\$PATH\"" >&2
     PATH="$bin_dir:$PATH"; export PATH ;;
esac
echo "installed $(git-hygiene --version) in $bin_dir"

repo="${1:-}"
if [ -z "$repo" ]; then
  # Run from inside a repository other than git-hygiene's own checkout: use that one.
  top=$(git rev-parse --show-toplevel 2>/dev/null || true)
  if [ -n "$top" ] && [ "$top" != "$here" ]; then repo=$top; fi
fi
if [ -n "$repo" ]; then
  cd "$repo"
  git hygiene install
  echo "hooks installed in $(git rev-parse --show-toplevel). Try: git hygiene scan"
fi
