#!/usr/bin/env bash
# Empties a versioned S3 bucket: every object version and every delete marker, one listing page
# (at most 1,000, delete-objects' limit) at a time, each batch passed as a file (1,000 keys and
# version ids overflow a command-line argument). `aws s3 rm --recursive` is not enough: under
# versioning it only adds delete markers. docs/destroy.md shows the same loop for prod's teardown.
# Usage: bash .ci/empty-bucket.sh BUCKET
set -euo pipefail
BUCKET=${1:?usage: bash .ci/empty-bucket.sh BUCKET}
cd "$(mktemp -d)"
PAGE='{Objects: [Versions, DeleteMarkers][].{Key: Key, VersionId: VersionId}, Quiet: `true`}'
while aws s3api list-object-versions --bucket "$BUCKET" --no-paginate --output json \
    --query "$PAGE" > batch.json && grep -q '"Key"' batch.json; do
  aws s3api delete-objects --bucket "$BUCKET" --delete file://batch.json
done
rm batch.json
