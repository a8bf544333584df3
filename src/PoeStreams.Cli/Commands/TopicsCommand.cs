using System.ComponentModel;
using System.Globalization;
using System.Text;
using PoeStreams.Contracts;
using PoeStreams.Topology;
using Spectre.Console;
using Spectre.Console.Cli;

namespace PoeStreams.Cli.Commands;

/// <summary>
/// <c>poe topics [--partitions N] [--application-id ID] [--script]</c>: every topic the worker needs, from
/// the one catalog (<see cref="TopicCatalog"/>), as a table or as a script that creates them with Kafka's
/// own tool (<c>kafka-topics</c> in Confluent's images, <c>kafka-topics.sh</c> in Apache's; compose/create-topics.sh is this script).
/// </summary>
public sealed class TopicsCommand : Command<TopicsCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--partitions <N>")]
        [Description("Partitions of the partitioned topics, as the worker's POE_PARTITIONS (default 4).")]
        public int Partitions { get; init; } = 4;

        [CommandOption("--application-id <ID>")]
        [Description("The worker's POE_APPLICATION_ID, which names the changelog topics (default poe-streams).")]
        public string ApplicationId { get; init; } = new PoeTopologyOptions().ApplicationId;

        [CommandOption("--script")]
        [Description("Print a bash script that creates them with kafka-topics (argument: the bootstrap server).")]
        public bool Script { get; init; }

        [CommandOption("--wide")]
        [Description("Show every column (key, value, history table) however narrow the terminal.")]
        public bool Wide { get; init; }

        public override ValidationResult Validate() =>
            Partitions is < 1 or > 1024 ? ValidationResult.Error($"--partitions must be between 1 and 1024, got {Partitions}")
            : !System.Text.RegularExpressions.Regex.IsMatch(ApplicationId, "^[A-Za-z0-9._-]{1,100}$") ? ValidationResult.Error($"--application-id must be 1–100 letters, digits or . _ -, got '{ApplicationId}'")
            : ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var topics = TopicCatalog.For(settings.Partitions, settings.ApplicationId);
        if (settings.Script)
        {
            AnsiConsole.Console.Profile.Out.Writer.Write(Script(topics, settings));
            return 0;
        }

        foreach (var line in TextTable.Render(
            ["topic", "partitions", "cleanup", "key", "value", "history table"],
            [.. topics.Select(t => (IReadOnlyList<string>)[t.Name, t.Partitions.ToString(CultureInfo.InvariantCulture), t.Definition.CleanupPolicy, t.Definition.Key, ValueOf(t.Definition), t.Definition.HistoryTable ?? "-"])],
            Terminal.Columns,
            settings.Wide))
        {
            AnsiConsole.Console.Profile.Out.Writer.WriteLine(line);
        }

        return 0;
    }

    public static string Script(IReadOnlyList<TopicSpec> topics, Settings settings)
    {
        var script = new StringBuilder()
            .Append("#!/usr/bin/env bash\n")
            .Append(CultureInfo.InvariantCulture, $"# The topics of PoeStreams (application id {settings.ApplicationId}, {settings.Partitions} partitions), from its catalog:\n")
            .Append(CultureInfo.InvariantCulture, $"# poe topics --script --partitions {settings.Partitions} --application-id {settings.ApplicationId}. Usage: create-topics.sh BOOTSTRAP\n")
            .Append("set -euo pipefail\n")
            .Append("bootstrap=\"$1\"\n")
            .Append("tool=$(command -v kafka-topics || command -v kafka-topics.sh || echo /opt/kafka/bin/kafka-topics.sh)\n")
            .Append("create() { \"$tool\" --bootstrap-server \"$bootstrap\" --create --if-not-exists --topic \"$1\" --partitions \"$2\" --replication-factor 1 --config \"cleanup.policy=$3\"; }\n");
        foreach (var topic in topics)
        {
            script.Append(CultureInfo.InvariantCulture, $"create {topic.Name} {topic.Partitions} {topic.Definition.CleanupPolicy}\n");
        }

        return script.ToString();
    }


    private static string ValueOf(TopicDefinition topic) => topic.ValueType is { } contract ? $"Avro {contract.Name}" : "JSON (internal)";
}
