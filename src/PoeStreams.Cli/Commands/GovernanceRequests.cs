using PoeStreams.Contracts;
using PoeStreams.Topology;

namespace PoeStreams.Cli.Commands;

/// <summary>Publishes operator changes as governance events; the worker applies them from the next epoch.</summary>
internal static class GovernanceRequests
{
    /// <summary>Publishes an UpdateParameters event with <paramref name="parameters"/> (YAML paths → values) and returns its id.</summary>
    public static string UpdateParameters(ConnectionSettings settings, TimeProvider clock, string kind, IDictionary<string, string> parameters)
    {
        var eventId = $"{kind}-{Guid.NewGuid():N}";
        var now = clock.GetUtcNow();
        using var publisher = new RecordPublisher(settings.BootstrapServers, InProcessSchemaRegistry.WithContracts());
        publisher.Publish(PoeTopics.Governance, eventId, new GovernanceEvent
        {
            event_id = eventId,
            action = GovernanceAction.UpdateParameters,
            issued_at = now.UtcDateTime,
            issued_by = Environment.GetEnvironmentVariable("POE_OPERATOR") ?? Environment.UserName,
            parameters = parameters,
        }, now);
        publisher.Flush(TimeSpan.FromSeconds(10));
        return publisher.Failed == 0 ? eventId : throw new InvalidOperationException($"the broker at {settings.BootstrapServers} refused the governance event");
    }
}
