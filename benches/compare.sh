#!/usr/bin/env bash
# Whole-build benchmark: briefing, the floor (examples/floor.rs) and Hugo on the same
# generated corpora, run alternately, output on tmpfs, old output deleted outside the
# timing. Prints a Markdown table of medians (wall, CPU = user + sys, peak RSS).
#
#   benches/compare.sh [SIZE...]          default: 1000 10000 50000
#   RUNS=5 benches/compare.sh 10000       runs per tool and size (default 3)
#
# Needs python3, /usr/bin/time (Debian `time`), and optionally `hugo` (apt-get install
# hugo); ../shared/bench/gen_corpus.py generates the corpora (BRIEFING_GEN_CORPUS
# overrides the path). This is a benchmark, not a test: CI does not run it.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sizes=("$@")
[[ ${#sizes[@]} -eq 0 ]] && sizes=(1000 10000 50000)
runs="${RUNS:-3}"
gen="${BRIEFING_GEN_CORPUS:-$here/../shared/bench/gen_corpus.py}"
work="${BENCH_DIR:-/dev/shm/briefing-bench}"
TIME=/usr/bin/time
[[ -x $TIME ]] || { echo "compare.sh: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }

(cd "$here" && cargo build --release --quiet --bin briefing --example floor)
briefing="$here/target/release/briefing"
floor="$here/target/release/examples/floor"
have_hugo=0
command -v hugo >/dev/null && have_hugo=1

# run LABEL CLEANUP COMMAND... : time one run, print "wall cpu rss_kb"
measure() {
  local stats="$work/.time"
  $TIME -o "$stats" -f "%e %U %S %M" "$@" >/dev/null 2>&1
  awk '{printf "%.3f %.3f %d\n", $1, $2 + $3, $4}' "$stats"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

declare -A results
mkdir -p "$work"
for n in "${sizes[@]}"; do
  corpus="$work/corpus-$n"
  if [[ ! -d $corpus/content ]]; then
    python3 "$gen" --articles "$n" --out "$corpus" --layout briefing --force >&2
  fi
  if (( have_hugo )) && [[ ! -d $work/hugo-$n ]]; then
    python3 "$gen" --articles "$n" --out "$work/hugo-$n" --layout hugo --force >&2
  fi
  out="$work/out-$n"
  for tool in briefing briefing-untagged briefing-plain briefing-1thread floor hugo noop edit edit2; do
    : > "$work/$tool-$n.txt"
  done
  # The same build with same-story merging and the temporal tagger turned off: what
  # the two features cost; and with the tagger alone off: what tagging costs.
  plain="$work/plain-$n.yaml"
  printf 'stories:\n  auto: false\nmentions:\n  enabled: false\n' > "$plain"
  untagged="$work/untagged-$n.yaml"
  printf 'mentions:\n  enabled: false\n' > "$untagged"
  for ((r = 1; r <= runs; r++)); do
    # Full build: no output, no cache (deleted outside the timing).
    rm -rf "$out" "$corpus/.briefing-cache"
    (cd "$corpus" && measure "$briefing" --quiet build --output "$out") >> "$work/briefing-$n.txt"
    # Nothing changed.
    (cd "$corpus" && measure "$briefing" --quiet build --output "$out") >> "$work/noop-$n.txt"
    # One article edited.
    f=$(find "$corpus/content" -name '*.md' | sort | awk 'NR == 1')
    sed -i "0,/^summary: /s//summary: Edited $r. /" "$f"
    (cd "$corpus" && measure "$briefing" --quiet build --output "$out") >> "$work/edit-$n.txt"
    # Another article edited: the steady state of a morning's rebuilds, when the build
    # before has left the folder it replaced to bring up to date.
    f=$(find "$corpus/content" -name '*.md' | sort | awk 'NR == 2')
    sed -i "0,/^summary: /s//summary: Edited $r. /" "$f"
    (cd "$corpus" && measure "$briefing" --quiet build --output "$out") >> "$work/edit2-$n.txt"
    rm -rf "$out" "$corpus/.briefing-cache"
    (cd "$corpus" && measure "$briefing" --quiet --config "$untagged" build --output "$out") >> "$work/briefing-untagged-$n.txt"
    rm -rf "$out" "$corpus/.briefing-cache"
    (cd "$corpus" && measure "$briefing" --quiet --config "$plain" build --output "$out") >> "$work/briefing-plain-$n.txt"
    rm -rf "$out" "$corpus/.briefing-cache"
    (cd "$corpus" && RAYON_NUM_THREADS=1 measure "$briefing" --quiet build --output "$out") >> "$work/briefing-1thread-$n.txt"
    rm -rf "$out"
    measure "$floor" "$corpus/content" "$out" >> "$work/floor-$n.txt"
    if (( have_hugo )); then
      rm -rf "$out"
      measure hugo --quiet -s "$work/hugo-$n" -d "$out" >> "$work/hugo-$n.txt"
    fi
  done
  rm -rf "$out"
done

printf '\n| articles | tool | wall (s) | CPU (s) | peak RSS (MB) |\n|---|---|---|---|---|\n'
for n in "${sizes[@]}"; do
  for tool in briefing briefing-untagged briefing-plain briefing-1thread noop edit edit2 floor hugo; do
    file="$work/$tool-$n.txt"
    [[ -s $file ]] || continue
    wall=$(cut -d' ' -f1 "$file" | median)
    cpu=$(cut -d' ' -f2 "$file" | median)
    rss=$(cut -d' ' -f3 "$file" | median)
    case $tool in
      briefing) label="briefing build (2 threads)" ;;
      briefing-untagged) label="briefing build, mentions off" ;;
      briefing-plain) label="briefing build, stories and mentions off" ;;
      briefing-1thread) label="briefing build, 1 thread" ;;
      noop) label="briefing rebuild, nothing changed" ;;
      edit) label="briefing rebuild, one article edited" ;;
      edit2) label="briefing rebuild, another article edited" ;;
      floor) label="floor (1 thread)" ;;
      hugo) label="Hugo $(hugo version 2>/dev/null | awk '{print $2}' | cut -d+ -f1)" ;;
    esac
    printf '| %s | %s | %s | %s | %d |\n' "$n" "$label" "$wall" "$cpu" "$((rss / 1024))"
  done
done
