#!/usr/bin/env bash
# The integration workflow's teardown (.github/workflows/integration.yml), run whatever happened
# before it: destroys the ephemeral stack and removes it. The stack runs with protectLogBucket
# false, so its buckets have forceDestroy and one `pulumi destroy` normally deletes them with
# their files; should it fail anyway (a bucket the provider could not empty, files delivered
# during the destroy), every bucket in the stack's state is emptied, versions included, and the
# destroy tried once more. A stack that cannot be destroyed is kept, and the run fails, so that
# someone looks at what is left in the account.
# Usage: bash .ci/integration-teardown.sh STACK
set -uo pipefail
cd "$(dirname "$0")/.."
stack=${1:?usage: bash .ci/integration-teardown.sh STACK}

if ! pulumi stack select "$stack" >/dev/null 2>&1; then
  echo "no stack $stack: nothing was created, nothing to tear down"
  exit 0
fi

destroy() { pulumi destroy --stack "$stack" --yes --non-interactive; }

if ! destroy; then
  echo "pulumi destroy failed: emptying the stack's buckets and trying once more"
  # The buckets as the state knows them, outputs or not (an up that failed exports nothing).
  buckets=$(pulumi stack export --stack "$stack" | node -e '
    let text = "";
    process.stdin.on("data", (c) => (text += c)).on("end", () => {
      const resources = JSON.parse(text).deployment?.resources ?? [];
      for (const r of resources)
        if (r.type === "aws:s3/bucket:Bucket" && r.outputs?.bucket) console.log(r.outputs.bucket);
    });')
  for bucket in $buckets; do
    echo "emptying s3://$bucket"
    bash .ci/empty-bucket.sh "$bucket" || echo "could not empty s3://$bucket"
  done
  if ! destroy; then
    echo "the stack $stack could not be destroyed: it is kept; see what is left with pulumi stack --stack $stack"
    exit 1
  fi
fi
pulumi stack rm "$stack" --yes --non-interactive
