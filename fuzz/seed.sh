#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ from the test fixtures and the sample content (the corpus
# folders are not committed; libFuzzer grows them). Run from anywhere.
set -euo pipefail
cd "$(dirname "$0")"
root=..
seed() { # seed TARGET FILE [PREFIX-BYTE]
  local dir="corpus/$1"; mkdir -p "$dir"
  local name; name="$(sha1sum "$2" | cut -c1-16)${3:-}"
  if [[ -n ${3:-} ]]; then { printf "\\x$3"; cat "$2"; } > "$dir/$name"; else cp "$2" "$dir/$name"; fi
}
while IFS= read -r -d '' f; do
  seed article "$f"; seed markdown "$f"; seed temporal "$f"
done < <(find "$root/content" "$root/tests/fixtures" -name '*.md' -size -64k -print0)
# The meaning feature reads titles and summaries: the sample's and a labelled set's.
while IFS= read -r -d '' f; do
  seed meaning "$f"
done < <(find "$root/content" "$root/tests/fixtures/stories/blind19" -name '*.md' -size -16k -print0)
while IFS= read -r -d '' f; do
  for b in 00 01 02 03; do seed import "$f" "$b"; done
done < <(find "$root/tests/fixtures/import" -type f -size -256k -print0)
mkdir -p corpus/dates corpus/slug
i=0
for d in 2025-04-18 "2025-04-18T09:30:00+03:00" "2025-04-18 09:30" "2020-01-03T00:10Z" \
         "2025-04" "2025" "2025-02-29" "Asia/Baghdad" "Europe/London" "2025-04-18T25:00"; do
  printf '%s' "$d" > "corpus/dates/seed$i"; i=$((i + 1))
done
for s in "Café Déjà vu" "Gaza War" "../../etc/passwd" "2020/Iraq NATO.md" "index" "日本語" "a--b" "-x-"; do
  printf '%s' "$s" > "corpus/slug/seed$i"; i=$((i + 1))
done
if [[ -f $root/tests/temporal/gold.tml ]]; then
  split -l 20 -a 3 "$root/tests/temporal/gold.tml" corpus/temporal/gold-
fi
for t in corpus/*; do echo "$t: $(ls "$t" | wc -l) seeds"; done
