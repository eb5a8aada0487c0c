#!/usr/bin/env bash
# Summarises fuzz/logs/<target>.log (from run.sh; or the logs in DIR): executions,
# seconds, and coverage (edges) at half time and at the end: a plateau shows as little
# growth in the second half.
#   fuzz/summary.sh [DIR]
cd "$(dirname "$0")"
dir="${1:-logs}"
printf '| target | executions | seconds | exec/s | edges at half time | edges at the end | features | corpus | result |\n|---|---|---|---|---|---|---|---|---|\n'
for log in "$dir"/*.log; do
  t=$(basename "$log" .log)
  awk -v t="$t" '
    /^#[0-9]+/ {
      n = substr($1, 2) + 0
      for (i = 1; i <= NF; i++) {
        if ($i == "cov:") cov = $(i + 1)
        if ($i == "ft:") ft = $(i + 1)
        if ($i == "corp:") corp = $(i + 1)
        if ($i == "exec/s:") eps = $(i + 1)
      }
      nth++; ns[nth] = n; covs[nth] = cov
      runs = n
    }
    /^Done [0-9]+ runs in/ { runs = $2; secs = $5 }
    /deadly signal|panicked at|ERROR: libFuzzer/ { crash = 1 }
    END {
      if (secs == "" && eps > 0) secs = sprintf("~%d", runs / eps)
      split(corp, c, "/")
      # Coverage when half the executions were done: a plateau shows as little growth since.
      half = cov
      for (k = 1; k <= nth; k++) if (ns[k] >= runs / 2) { half = covs[k]; break }
      printf "| %s | %d | %s | %s | %s | %s | %s | %s | %s |\n", t, runs, secs, eps, half, cov, ft, c[1], crash ? "crash (see artifacts/)" : "no crash"
    }' "$log"
done
