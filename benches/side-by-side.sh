#!/usr/bin/env bash
# Generation side by side with progenitor: for each spec given (default: Plexy's and the public
# specs beside the repository), the median wall time of five runs, the peak RSS of the last,
# and the ratio of the two tools' times,
# for `xtask codegen --spec` (release build) and for `cargo-progenitor` (pinned, installed into
# target/tools on first use). Reports, never asserts: timings on a shared machine are noisy.
# With --build, it then builds each generated crate that both tools made, in a target folder of
# its own and with the same Cargo.lock rules: the wall time of a clean `cargo build`, the number
# of crates it compiled, and of a rebuild after touching the crate's lib.rs (incremental, as
# cargo builds by default, and without incremental compilation).
#
#   benches/side-by-side.sh [--build] [SPEC...]
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
cargo build --quiet --release --manifest-path xtask/Cargo.toml
ours=target/release/xtask

build=false
if [ "${1:-}" = "--build" ]; then
  build=true
  shift
fi

if [ $# -eq 0 ]; then
  set -- spec/plexy.yaml ../shared/specs/corpus/xero/*.yaml ../shared/specs/spotify.yaml \
    ../shared/specs/corpus/box/*.json ../shared/specs/openai.yaml
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# Median wall time of five runs (milliseconds; GNU time's own clock has only hundredths of a
# second) and the last run's peak RSS (MB), or "fails".
measure() {
  local times=() rss=0 start end
  for _ in 1 2 3 4 5; do
    rm -rf "$out/crate"
    start=$(date +%s%N)
    if ! /usr/bin/time -f "%M" -o "$out/time" "$@" >/dev/null 2>&1; then
      echo "fails"
      return
    fi
    end=$(date +%s%N)
    times+=("$(( (end - start) / 1000 ))")
    rss=$(cat "$out/time")
  done
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)
  awk -v us="$median" -v kb="$rss" 'BEGIN { printf "%.1f ms, %d MB", us / 1000, kb / 1024 }'
}

printf '| spec | size | this project | progenitor %s | time ratio |\n|---|---|---|---|---|\n' "$PROGENITOR_VERSION"
for spec in "$@"; do
  name=$(basename "$spec"); name=${name%.*}
  size=$(( $(stat -c %s "$spec") / 1024 ))
  mine=$(measure "$ours" codegen --spec "$spec" --out "$out/crate")
  theirs=$(measure "$progenitor" progenitor -i "$spec" -o "$out/crate" -n "$name" -v 0.1.0)
  ratio=$(awk -v a="${mine%% ms*}" -v b="${theirs%% ms*}" 'BEGIN { if (b + 0 > 0) printf "%.2f×", a / b; else print "" }')
  printf '| %s | %s KB | %s | %s | %s |\n' "$name" "$size" "$mine" "$theirs" "$ratio"
done

$build || exit 0

# Seconds (two decimals) that a command takes.
seconds() {
  local start end
  start=$(date +%s.%N)
  "$@" >"$out/build.log" 2>&1 || { cat "$out/build.log" >&2; return 1; }
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", e - s }'
}

# Clean build, crates compiled, and the two rebuilds of the crate in folder $1.
build_times() (
  cd "$1"
  export CARGO_TARGET_DIR="$1/target"
  local clean crates incremental whole
  clean=$(seconds cargo build) || { echo "does not build"; return; }
  crates=$(grep -c '^ *Compiling ' "$out/build.log" || true)
  touch src/lib.rs
  incremental=$(seconds cargo build)
  touch src/lib.rs
  whole=$(CARGO_INCREMENTAL=0 seconds cargo build)
  echo "$clean s, $crates crates | $incremental s | $whole s"
)

echo
printf '| spec | tool | clean build | rebuild (incremental) | rebuild (not incremental) |\n|---|---|---|---|---|\n'
for spec in "$@"; do
  name=$(basename "$spec"); name=${name%.*}
  rm -rf "$out/ours" "$out/theirs"
  "$ours" codegen --spec "$spec" --out "$out/ours" >/dev/null 2>&1 || continue
  "$progenitor" progenitor -i "$spec" -o "$out/theirs" -n "$name" -v 0.1.0 >/dev/null 2>&1 || continue
  printf '| %s | this project | %s |\n' "$name" "$(build_times "$out/ours")"
  printf '| %s | progenitor %s | %s |\n' "$name" "$PROGENITOR_VERSION" "$(build_times "$out/theirs")"
done
