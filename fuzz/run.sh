#!/usr/bin/env bash
# Fuzzes each target in turn for SECONDS_PER_TARGET (default 600) on one core, with the seeds from
# seed.sh, and prints libFuzzer's last status line per target (executions, coverage).
# Crashes land in fuzz/artifacts/<target>/; copy a minimised one into
# fuzz/regressions/<target>/ so `cargo test` keeps checking it.
#   fuzz/run.sh [TARGET...]       SECONDS_PER_TARGET=3600 fuzz/run.sh article
set -uo pipefail
cd "$(dirname "$0")"
secs="${SECONDS_PER_TARGET:-600}"
targets=("$@")
[[ ${#targets[@]} -eq 0 ]] && targets=(article dates slug import temporal markdown meaning)
[[ -d corpus ]] || ./seed.sh >/dev/null
mkdir -p logs
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  cargo +nightly fuzz run -O "$t" "corpus/$t" -- \
    -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=262144 \
    -print_final_stats=1 > "logs/$t.log" 2>&1
  echo "$t (exit $?): $(grep -E '^#[0-9]+' "logs/$t.log" | tail -1)"
  grep -E 'stat::number_of_executed_units|stat::peak_rss_mb' "logs/$t.log" | tr '\n' ' '; echo
done
