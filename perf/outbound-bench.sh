#!/usr/bin/env bash
# Outbound benchmark (issue 5): API 202 → fake NHN receipt, batched versus one request per message, one run.
# Builds in Release and runs perf/OutboundBench; extra arguments go to it (--count, --concurrency, --modes, --no-drain).
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release perf/OutboundBench -v quiet -nologo
exec dotnet perf/OutboundBench/bin/Release/net10.0/OutboundBench.dll "$@"
