using PoeStreams.Contracts;

namespace PoeStreams.Cli.Commands;

/// <summary>Publishes operator changes as governance events; the worker applies them from the next epoch.</summary>
internal static class GovernanceRequests
{
    /// <summary>Publishes an UpdateParameters event with <paramref name="parameters"/> (YAML paths → values) and returns its id.</summary>
    public static string UpdateParameters(ConnectionSettings settings, TimeProvider clock, string kind, IDictionary<string, string> parameters) =>
        Publish(settings, clock, kind, e =>
        {
            e.action = GovernanceAction.UpdateParameters;
            e.parameters = parameters;
        });

    /// <summary>Publishes a MintRequest for <paramref name="amount"/> of <paramref name="token"/> and returns its id.</summary>
    public static string Mint(ConnectionSettings settings, TimeProvider clock, TokenSymbol token, decimal amount) =>
        Publish(settings, clock, "mint", e =>
        {
            e.action = GovernanceAction.MintRequest;
            e.token = token;
            e.amount = WireDecimal.ToAvro(amount);
        });

    private static string Publish(ConnectionSettings settings, TimeProvider clock, string kind, Action<GovernanceEvent> describe)
    {
        var eventId = $"{kind}-{Guid.NewGuid():N}";
        var now = clock.GetUtcNow();
        var governance = new GovernanceEvent
        {
            event_id = eventId,
            issued_at = now.UtcDateTime,
            issued_by = Environment.GetEnvironmentVariable("POE_OPERATOR") ?? Environment.UserName,
            parameters = new Dictionary<string, string>(),
        };
        describe(governance);
        using var publisher = settings.Publisher();
        publisher.Publish(PoeTopics.Governance, eventId, governance, now);
        publisher.Confirm();
        return eventId;
    }
}
