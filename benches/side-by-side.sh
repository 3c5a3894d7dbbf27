#!/usr/bin/env bash
# Generation side by side with progenitor: for each spec given (default: Plexy's and the public
# specs beside the repository), the median wall time of five runs and the peak RSS of the last,
# for `xtask codegen --spec` (release build) and for `cargo-progenitor` (pinned, installed into
# target/tools on first use). Reports, never asserts: timings on a shared machine are noisy.
#
#   benches/side-by-side.sh [SPEC...]
set -euo pipefail
cd "$(dirname "$0")/.."

PROGENITOR_VERSION=0.15.1
tools=target/tools
progenitor="$tools/bin/cargo-progenitor"
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (GNU time) for peak memory" >&2; exit 1; }
# cargo records what it installed; cargo-progenitor has no --version of its own.
if ! grep -qs "cargo-progenitor $PROGENITOR_VERSION" "$tools/.crates.toml"; then
  echo "==> cargo install cargo-progenitor $PROGENITOR_VERSION into $tools (needs crates.io)" >&2
  CARGO_PROFILE_RELEASE_LTO=false cargo install cargo-progenitor --locked --version "$PROGENITOR_VERSION" --root "$tools" >&2
fi
cargo build --quiet --release -p xtask
ours=target/release/xtask

if [ $# -eq 0 ]; then
  set -- spec/plexy.yaml ../shared/specs/corpus/xero/*.yaml ../shared/specs/spotify.yaml \
    ../shared/specs/corpus/box/*.json ../shared/specs/openai.yaml
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# Median wall time (s) of five runs and the last run's peak RSS (KB), or "fails".
measure() {
  local times=() rss=0
  for _ in 1 2 3 4 5; do
    rm -rf "$out/crate"
    if ! /usr/bin/time -f "%e %M" -o "$out/time" "$@" >/dev/null 2>&1; then
      echo "fails"
      return
    fi
    times+=("$(cut -d' ' -f1 "$out/time")")
    rss=$(cut -d' ' -f2 "$out/time")
  done
  echo "$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p) s, $((rss / 1024)) MB"
}

printf '| spec | size | this project | progenitor %s |\n|---|---|---|---|\n' "$PROGENITOR_VERSION"
for spec in "$@"; do
  name=$(basename "$spec"); name=${name%.*}
  size=$(( $(stat -c %s "$spec") / 1024 ))
  mine=$(measure "$ours" codegen --spec "$spec" --out "$out/crate")
  theirs=$(measure "$progenitor" progenitor -i "$spec" -o "$out/crate" -n "$name" -v 0.1.0)
  printf '| %s | %s KB | %s | %s |\n' "$name" "$size" "$mine" "$theirs"
done
