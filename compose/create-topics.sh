#!/usr/bin/env bash
# The topics of PoeStreams (application id poe-streams, 4 partitions), from its catalog:
# poe topics --script --partitions 4 --application-id poe-streams. Usage: create-topics.sh BOOTSTRAP
set -euo pipefail
bootstrap="$1"
tool=$(command -v kafka-topics || command -v kafka-topics.sh || echo /opt/kafka/bin/kafka-topics.sh)
create() { "$tool" --bootstrap-server "$bootstrap" --create --if-not-exists --topic "$1" --partitions "$2" --replication-factor 1 --config "cleanup.policy=$3"; }
create poe.miners 4 compact
create poe.jobs 4 delete
create poe.network-metrics 4 delete
create poe.gold-reserves 4 delete
create poe.governance 4 delete
create poe.job-claims 4 delete
create poe.sequenced 4 delete
create poe.epoch-partials 1 delete
create poe.job-fees 4 compact
create poe.index 4 compact
create poe.rewards 4 compact
create poe.reward-manifests 4 compact
create poe.mints 4 compact
create poe.owner-salary 4 compact
create poe.dead-letters 4 delete
create poe-streams-source-clocks-changelog 4 compact
create poe-streams-job-claims-changelog 4 compact
create poe-streams-waiting-claims-changelog 4 compact
create poe-streams-claim-marks-changelog 4 compact
create poe-streams-claim-clocks-changelog 4 compact
create poe-streams-miners-changelog 4 compact
create poe-streams-miner-epoch-tallies-changelog 4 compact
create poe-streams-partition-epochs-changelog 4 compact
create poe-streams-partition-state-changelog 4 compact
create poe-streams-pending-jobs-changelog 4 compact
create poe-streams-deferred-jobs-changelog 4 compact
create poe-streams-epoch-miner-scores-changelog 1 compact
create poe-streams-epoch-index-changelog 1 compact
create poe-streams-economy-changelog 1 compact
create poe-streams-partition-watermarks-changelog 1 compact
