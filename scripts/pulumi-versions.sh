#!/usr/bin/env bash
# The tests that run Pulumi's dynamic-provider host, on other versions of
# @pulumi/pulumi than the lockfile's. By default (CI) the versions pinned here:
# the floor of package.json's range (the lowest version the suite passes on) and
# NEWEST, the newest version verified. Each is installed with the dependencies
# the registry had on BEFORE (npm's --before), so a release published later, of
# @pulumi/pulumi or of anything it depends on, never changes what CI tests.
#
#   scripts/pulumi-versions.sh              # CI: the floor and NEWEST, as of BEFORE
#   scripts/pulumi-versions.sh latest       # the newest release today (not CI: its result changes with the registry)
#   scripts/pulumi-versions.sh 3.215.0 ...  # given versions
#
# Moving NEWEST (and BEFORE) is a commit, made after `scripts/pulumi-versions.sh latest` passes.
# Each version is installed over node_modules (--no-save: package.json and the
# lockfile stay as they are), the package is built against its types, the tests
# are type-checked and run; the locked version is put back at the end.
#
# Not run: reliability, pacer, bench and hardening-* (our own client's faults,
# pacing, timings and redaction, through the same host calls as lifecycle), pack
# (it installs the lockfile's versions), demo (the engine and programs that
# harness, lifecycle and export cover; it costs a build and a minute), and the
# files that do not load @pulumi/pulumi.
set -euo pipefail
cd "$(dirname "$0")/.."

NEWEST=3.276.0
BEFORE=2026-12-03

# What depends on @pulumi/pulumi's version: the dynamic-provider host and its
# protocol (behaviour, lifecycle, harness, credentials, check, lookups: X.get,
# config; upgrade: state an older release wrote), the plugin, served on the
# gRPC stubs @pulumi/pulumi ships (plugin, behaviour), the resource classes and
# closure serialization (examples-deploy, gitops, export), and the nodejs
# runtime's TypeScript loading (examples).
TESTS=(test/behaviour.test.ts test/lifecycle.test.ts test/harness.test.ts test/credentials.test.ts test/check.test.ts
  test/lookups.test.ts test/upgrade.test.ts test/plugin.test.ts
  test/examples-deploy.test.ts test/gitops.test.ts test/export.test.ts test/examples.test.ts)

floor=$(node -p 'require("./package.json").dependencies["@pulumi/pulumi"].replace(/^\^/, "")')
locked=$(node -p 'require("./package-lock.json").packages["node_modules/@pulumi/pulumi"].version')
if [ $# -eq 0 ]; then versions=("$floor" "$NEWEST"); before=(--before="$BEFORE"); else versions=("$@"); before=(); fi

install() { npm install --no-save --no-audit --no-fund --loglevel=error "$@" >/dev/null; }
trap 'install "@pulumi/pulumi@$locked"' EXIT

for v in "${versions[@]}"; do
  install "${before[@]}" "@pulumi/pulumi@$v"
  echo "== @pulumi/pulumi $(node -p 'require("@pulumi/pulumi/package.json").version') (asked: $v${before:+, dependencies as of $BEFORE})"
  npx tsc -p tsconfig.json
  npx tsc -p test/tsconfig.json
  npx vitest run "${TESTS[@]}"
done
