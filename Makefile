# PoeStreams — the two commands a new user needs are `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

SOLUTION      := PoeStreams.sln
CONFIGURATION ?= Release
RESULTS       := artifacts/test-results
BENCH_FILTER  ?= *
CLICKHOUSE    := compose/clickhouse/clickhouse.sh
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE := 1

.PHONY: help build test soak run install bench schemas clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

build: ## Restore and build everything
	dotnet build $(SOLUTION) -c $(CONFIGURATION)

# promtool checks compose/prometheus.yml; Confluent's Python client is the outside client of the local registry.
TEST_PACKAGES := prometheus python3-confluent-kafka python3-avro python3-requests

test: ## Build and run every test project (starts the local ClickHouse; installs promtool and Confluent's Python client when missing); ends with 'N passed, N failed'
	@rm -rf $(RESULTS)
	@{ command -v promtool && /usr/bin/python3 -c 'import confluent_kafka.avro'; } >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(TEST_PACKAGES) >/dev/null; }
	@dotnet build $(SOLUTION) -c $(CONFIGURATION)
	@started=0; $(CLICKHOUSE) status >/dev/null 2>&1 || { $(CLICKHOUSE) start && started=1; }; \
	status=0; \
	dotnet test $(SOLUTION) -c $(CONFIGURATION) --no-build \
	  --logger "trx" --logger "console;verbosity=minimal" --results-directory $(RESULTS) || status=$$?; \
	[ $$started = 1 ] && $(CLICKHOUSE) stop; \
	python3 .ci/test-summary.py $(RESULTS) || status=1; \
	exit $$status

# About 100k records; 48 partitions keep every partition under the local broker's 5 MiB. The reference
# run reads them live: as a backfill, poe.sequenced would pass 5 MiB before stage 1 reads it.
SOAK_EPOCHS         ?= 8
SOAK_JOBS_PER_EPOCH ?= 9000
SOAK_PARTITIONS     ?= 48

soak: build ## Longer chaos run: 10 SIGKILLs of the worker during a ~100k-record run, against an uninterrupted one
	POE_CRASH_BACKFILL=0 POE_CRASH_EPOCHS=$(SOAK_EPOCHS) POE_CRASH_JOBS_PER_EPOCH=$(SOAK_JOBS_PER_EPOCH) POE_CRASH_PARTITIONS=$(SOAK_PARTITIONS) \
	dotnet test tests/PoeStreams.Worker.IntegrationTests -c $(CONFIGURATION) --no-build \
	  --filter "FullyQualifiedName~CrashTests" --logger "console;verbosity=detailed"

TOOL_FEED := artifacts/tool

install: ## Pack the CLI as a .NET tool and install (or update) it globally: then `poe` works from any folder (~/.dotnet/tools on PATH)
	@rm -rf $(TOOL_FEED)
	dotnet pack src/PoeStreams.Cli -c $(CONFIGURATION) -o $(TOOL_FEED)
	dotnet tool update --global --add-source $(TOOL_FEED) --ignore-failed-sources PoeStreams.Cli
	@echo "Installed poe into $$HOME/.dotnet/tools; add it to PATH if 'poe --help' is not found."

run: build ## The worker on the embedded default: local broker, local ClickHouse, live demo load (Ctrl-C stops)
	@started=0; $(CLICKHOUSE) status >/dev/null 2>&1 || { $(CLICKHOUSE) start && started=1; }; \
	trap '[ $$started = 1 ] && $(CLICKHOUSE) stop' EXIT; \
	dotnet run --project src/PoeStreams.Cli -c $(CONFIGURATION) --no-build -- demo --clickhouse-url http://127.0.0.1:8123

# 32 partitions keep every partition of a 100k-record run under the local broker's 5 MiB.
BENCH_RECORDS    ?= 100000
BENCH_PARTITIONS ?= 32
BENCH_EPOCH_MINERS ?= 10000,100000
# The local broker answers at once; a real one is a network round trip away (a few ms).
BENCH_BROKER_RTT_MS ?= 0

bench: ## Run the benchmarks (BenchmarkDotNet), the throughput harness (worker vs minimal Streamiz vs raw client) and the epoch-close harness; print their tables
	dotnet run --project tests/PoeStreams.Benchmarks -c Release -- --filter '$(BENCH_FILTER)'
	dotnet run --project tests/PoeStreams.Benchmarks -c Release -- worker-throughput $(BENCH_RECORDS) $(BENCH_PARTITIONS) 10 1000 $(BENCH_BROKER_RTT_MS)
	dotnet run --project tests/PoeStreams.Benchmarks -c Release -- epoch-close $(BENCH_EPOCH_MINERS) $(BENCH_PARTITIONS)
	@started=0; $(CLICKHOUSE) status >/dev/null 2>&1 || { $(CLICKHOUSE) start && started=1; }; \
	dotnet run --project tests/PoeStreams.Benchmarks -c Release -- clickhouse-throughput http://127.0.0.1:8123; \
	[ $$started = 1 ] && $(CLICKHOUSE) stop; true

schemas: ## Regenerate src/PoeStreams.Contracts/Generated from schemas/*.avsc
	dotnet run --project src/PoeStreams.Contracts.Generator -c $(CONFIGURATION) -- schemas src/PoeStreams.Contracts/Generated

clean: ## Remove build outputs and results
	dotnet clean $(SOLUTION) -c $(CONFIGURATION) >/dev/null
	rm -rf artifacts BenchmarkDotNet.Artifacts
