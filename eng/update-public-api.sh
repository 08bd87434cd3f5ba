#!/usr/bin/env bash
# Appends every public symbol the PublicApiAnalyzers report as undeclared (RS0016) to PublicAPI.Unshipped.txt, in each
# project under src/ that tracks its public API.
set -euo pipefail
cd "$(dirname "$0")/../src"
for project in */PublicAPI.Unshipped.txt; do
  dir=$(dirname "$project")
  file="$dir/PublicAPI.Unshipped.txt"
  (cd "$dir" && dotnet build -f net10.0 2>&1) | grep -oP "RS0016: Symbol '\K.*(?=' is not part of the declared public API)" | sort -u > /tmp/public-api-new.txt || true
  { cat "$file"; cat /tmp/public-api-new.txt; } | grep -v '^#nullable' | sort -u > /tmp/public-api-merged.txt
  { echo '#nullable enable'; cat /tmp/public-api-merged.txt; } > "$file"
  echo "$(wc -l < /tmp/public-api-new.txt) symbols added to $file"
done
