#!/bin/sh
# Checks the rooms of the code (archive/README.md, search-server/README.md): the programs
# include only the core's public headers, no header includes a header that includes it back,
# and the indexer leaves Xapian to the core. Run by CTest (layering); prints what breaks a rule.
set -eu
cd "$(dirname "$0")/.."
status=0

# Headers of archive/ that only the core (and its tests) may include.
private='archive/search/query_rewriter.h archive/search/facet_counter.h
archive/search/facet_table.h archive/search/locations.h archive/search/change_list.h
archive/search/shard_set.h archive/search/shard_names.h archive/search/helper_reader.h
archive/write/item_document.h archive/write/document_text.h archive/places/place_forms.h
archive/index/schema.h archive/index/xapian_errors.h'
for header in $private; do
  if [ ! -f "$header" ]; then
    echo "layering: $header is listed as private but does not exist"
    status=1
  fi
  users=$(grep -rl --include='*.h' --include='*.cpp' "#include \"$header\"" \
    indexer media search-server logging 2>/dev/null || true)
  for user in $users; do
    echo "layering: $user includes $header, which is private to archive/"
    status=1
  done
done

# Direct cycles: a.h includes b.h and b.h includes a.h. Includes are resolved from the top of
# the repository (archive/...) or from the including program's folder.
for header in $(find archive search-server indexer media logging -name '*.h' | sort); do
  program=${header%%/*}
  for included in $(sed -n 's/^#include "\([^"]*\)"/\1/p' "$header"); do
    for candidate in "$included" "$program/$included" "$(dirname "$header")/$included"; do
      [ -f "$candidate" ] || continue
      back=$(sed -n 's/^#include "\([^"]*\)"/\1/p' "$candidate")
      for name in $back; do
        for resolved in "$name" "$program/$name" "$(dirname "$candidate")/$name"; do
          if [ "$resolved" = "$header" ]; then
            echo "layering: $header and $candidate include each other"
            status=1
          fi
        done
      done
      break
    done
  done
done

if grep -rln --include='*.h' --include='*.cpp' '#include <xapian' indexer; then
  echo "layering: the files above of indexer/ include Xapian; only archive/ may"
  status=1
fi

exit $status
