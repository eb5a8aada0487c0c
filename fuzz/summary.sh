#!/usr/bin/env bash
# Summarises fuzz/logs/<target>.log (from run.sh; or the logs in DIR): executions,
# seconds, final coverage, and when coverage last grew (a plateau shows as "last new
# edge" well before the end).
#   fuzz/summary.sh [DIR]
cd "$(dirname "$0")"
dir="${1:-logs}"
printf '| target | executions | seconds | exec/s | coverage (edges) | features | corpus | last new edge at | result |\n|---|---|---|---|---|---|---|---|---|\n'
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
      if (cov != lastcov) { lastnew = n; lastcov = cov }
      runs = n
    }
    /^Done [0-9]+ runs in/ { runs = $2; secs = $5 }
    /deadly signal|panicked at|ERROR: libFuzzer/ { crash = 1 }
    END {
      if (secs == "" && eps > 0) secs = sprintf("~%d", runs / eps)
      split(corp, c, "/")
      printf "| %s | %d | %s | %s | %s | %s | %s | #%d (%.0f%%) | %s |\n", t, runs, secs, eps, cov, ft, c[1], lastnew, 100 * lastnew / (runs ? runs : 1), crash ? "crash (see artifacts/)" : "no crash"
    }' "$log"
done
