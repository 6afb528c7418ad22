#!/usr/bin/env bash
# The tests that run Pulumi's dynamic-provider host, on other versions of
# @pulumi/pulumi than the lockfile's: by default the floor of package.json's range
# (the lowest version the suite passes on) and the latest. Each version is
# installed over node_modules (--no-save: package.json and the lockfile stay as
# they are), the package is built against its types, the tests are type-checked
# and run; the locked version is put back at the end.
#
#   scripts/pulumi-versions.sh              # the floor and the latest
#   scripts/pulumi-versions.sh 3.215.0 ...  # given versions
#
# Not run: reliability, pacer, bench and hardening-* (our own client's faults,
# pacing, timings and redaction, through the same host calls as lifecycle), pack
# (its project installs @pulumi/pulumi from the registry, not the version here),
# demo (the engine and programs that harness, lifecycle and export cover; it
# costs a build and a minute), and the files that do not load @pulumi/pulumi.
set -euo pipefail
cd "$(dirname "$0")/.."

# What depends on @pulumi/pulumi's version: the dynamic-provider host and its
# protocol (lifecycle, harness, credentials, check, lookups: X.get, config), the
# resource classes and closure serialization (examples-deploy, gitops, export),
# and the nodejs runtime's TypeScript loading (examples).
TESTS=(test/lifecycle.test.ts test/harness.test.ts test/credentials.test.ts test/check.test.ts test/lookups.test.ts
  test/examples-deploy.test.ts test/gitops.test.ts test/export.test.ts test/examples.test.ts)

floor=$(node -p 'require("./package.json").dependencies["@pulumi/pulumi"].replace(/^\^/, "")')
locked=$(node -p 'require("./package-lock.json").packages["node_modules/@pulumi/pulumi"].version')
if [ $# -gt 0 ]; then versions=("$@"); else versions=("$floor" latest); fi

install() { npm install --no-save --no-audit --no-fund --loglevel=error "@pulumi/pulumi@$1" >/dev/null; }
trap 'install "$locked"' EXIT

for v in "${versions[@]}"; do
  install "$v"
  echo "== @pulumi/pulumi $(node -p 'require("@pulumi/pulumi/package.json").version') (asked: $v)"
  npx tsc -p tsconfig.json
  npx tsc -p test/tsconfig.json
  npx vitest run "${TESTS[@]}"
done
