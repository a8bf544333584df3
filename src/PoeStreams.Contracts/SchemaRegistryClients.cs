using Confluent.SchemaRegistry;

namespace PoeStreams.Contracts;

/// <summary>
/// The one way the worker and the CLI reach a schema registry: Confluent's client, against Confluent
/// Schema Registry in production and the local registry (<c>poe dev-broker</c>, <c>make run</c>) in
/// development, so both modes run the same code.
/// </summary>
public static class SchemaRegistryClients
{
    /// <summary>Where the local registry listens, and where a production one is looked for when nothing is configured.</summary>
    public const string DefaultUrl = "http://127.0.0.1:8081";

    /// <summary>Why <paramref name="url"/> cannot name a registry (said without the URL's credentials); null when it can.</summary>
    public static string? UrlProblem(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? null
            : "must be an absolute http:// or https:// URL";

    /// <summary>Why <paramref name="basicAuth"/> is not <c>user:password</c>; null when it is or is absent. Never repeats the value.</summary>
    public static string? BasicAuthProblem(string? basicAuth) =>
        basicAuth is null || basicAuth.IndexOf(':', StringComparison.Ordinal) > 0 ? null : "must be user:password";

    /// <summary>Confluent's caching client for <paramref name="url"/>, with basic auth when <paramref name="basicAuth"/> (<c>user:password</c>) is given.</summary>
    public static ISchemaRegistryClient Connect(string url, string? basicAuth = null)
    {
        var config = new SchemaRegistryConfig { Url = url };
        if (basicAuth is not null)
        {
            config.BasicAuthCredentialsSource = AuthCredentialsSource.UserInfo;
            config.BasicAuthUserInfo = basicAuth;
        }

        return new CachedSchemaRegistryClient(config);
    }
}
