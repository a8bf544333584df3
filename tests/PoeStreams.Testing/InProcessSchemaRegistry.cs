using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Confluent.SchemaRegistry;
using PoeStreams.Contracts;

namespace PoeStreams.Testing;

/// <summary>
/// A schema registry held in memory, for unit tests that need no HTTP (Confluent's client has no
/// <c>mock://</c> URL). Ids are derived from the schema text, so two instances give one schema the same
/// id, and <see cref="WithContracts"/> preloads the contracts so it can decode what another wrote. It does
/// not check compatibility. Everything that runs a worker uses the local registry over HTTP instead.
/// </summary>
public sealed class InProcessSchemaRegistry : ISchemaRegistryClient
{
    private readonly ConcurrentDictionary<int, Schema> schemasById = new();
    private readonly ConcurrentDictionary<string, List<RegisteredSchema>> versionsBySubject = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    /// <summary>A registry that already knows <paramref name="knownSchemas"/>, so it can decode what other processes wrote with them.</summary>
    public InProcessSchemaRegistry(IEnumerable<string> knownSchemas)
    {
        foreach (var schema in knownSchemas)
        {
            schemasById[IdOf(schema)] = new Schema(schema, SchemaType.Avro);
        }
    }

    public InProcessSchemaRegistry()
        : this([])
    {
    }

    /// <summary>A registry preloaded with every topic's schema: what the embedded mode uses in each process.</summary>
    public static InProcessSchemaRegistry WithContracts() => new(TopicCatalog.Subjects().Select(s => s.Schema));

    public IEnumerable<KeyValuePair<string, string>> Config => [];

    public IAuthenticationHeaderValueProvider? AuthHeaderProvider => null;

    public IWebProxy? Proxy => null;

    public int MaxCachedSchemas => int.MaxValue;

    /// <summary>The id any in-process registry gives <paramref name="schemaString"/>: 31 bits of its SHA-256.</summary>
    public static int IdOf(string schemaString)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(schemaString));
        return (int)(BitConverter.ToUInt32(hash, 0) & 0x7FFF_FFFF) | 1;
    }

    public Task<int> RegisterSchemaAsync(string subject, string avroSchema, bool normalize = false) =>
        RegisterSchemaAsync(subject, new Schema(avroSchema, SchemaType.Avro), normalize);

    public async Task<int> RegisterSchemaAsync(string subject, Schema schema, bool normalize = false) =>
        (await RegisterSchemaWithResponseAsync(subject, schema, normalize).ConfigureAwait(false)).Id;

    public Task<RegisteredSchema> RegisterSchemaWithResponseAsync(string subject, Schema schema, bool normalize = false)
    {
        var id = IdOf(schema.SchemaString);
        lock (gate)
        {
            var existing = schemasById.GetOrAdd(id, schema);
            if (existing.SchemaString != schema.SchemaString)
            {
                throw new SchemaRegistryException($"Schema id {id} already belongs to another schema.", HttpStatusCode.Conflict, 409);
            }

            var versions = versionsBySubject.GetOrAdd(subject, _ => []);
            var registered = versions.Find(v => v.Id == id);
            if (registered is null)
            {
                registered = new RegisteredSchema(subject, versions.Count + 1, id, schema.SchemaString, schema.SchemaType, schema.References ?? []);
                versions.Add(registered);
            }

            return Task.FromResult(registered);
        }
    }

    public Task<int> GetSchemaIdAsync(string subject, string avroSchema, bool normalize = false) =>
        GetSchemaIdAsync(subject, new Schema(avroSchema, SchemaType.Avro), normalize);

    public async Task<int> GetSchemaIdAsync(string subject, Schema schema, bool normalize = false) =>
        (await LookupSchemaAsync(subject, schema, ignoreDeletedSchemas: true, normalize).ConfigureAwait(false)).Id;

    public Task<Schema> GetSchemaAsync(int id, string? format = null) =>
        schemasById.TryGetValue(id, out var schema)
            ? Task.FromResult(schema)
            : Task.FromException<Schema>(NotFound($"Schema {id} not found"));

    public Task<Schema> GetSchemaBySubjectAndIdAsync(string subject, int id, string? format = null) => GetSchemaAsync(id, format);

    public Task<Schema> GetSchemaByGuidAsync(string guid, string? format = null) =>
        Task.FromException<Schema>(NotFound($"Schema guid {guid} not found"));

    public Task<RegisteredSchema> LookupSchemaAsync(string subject, Schema schema, bool ignoreDeletedSchemas, bool normalize = false)
    {
        var match = Versions(subject).Find(v => v.SchemaString == schema.SchemaString);
        return match is not null
            ? Task.FromResult(match)
            : Task.FromException<RegisteredSchema>(NotFound($"Schema not found under subject {subject}"));
    }

    public Task<RegisteredSchema> GetRegisteredSchemaAsync(string subject, int version, bool ignoreDeletedSchemas = true)
    {
        var match = Versions(subject).Find(v => v.Version == version);
        return match is not null
            ? Task.FromResult(match)
            : Task.FromException<RegisteredSchema>(NotFound($"Version {version} of subject {subject} not found"));
    }

    public async Task<string> GetSchemaAsync(string subject, int version) =>
        (await GetRegisteredSchemaAsync(subject, version).ConfigureAwait(false)).SchemaString;

    public Task<RegisteredSchema> GetLatestSchemaAsync(string subject)
    {
        var versions = Versions(subject);
        return versions.Count > 0
            ? Task.FromResult(versions[^1])
            : Task.FromException<RegisteredSchema>(NotFound($"Subject {subject} not found"));
    }

    public Task<RegisteredSchema> GetLatestWithMetadataAsync(string subject, IDictionary<string, string> metadata, bool ignoreDeletedSchemas) =>
        GetLatestSchemaAsync(subject);

    public Task<List<string>> GetAllSubjectsAsync() =>
        Task.FromResult(versionsBySubject.Keys.Order(StringComparer.Ordinal).ToList());

    public Task<List<int>> GetSubjectVersionsAsync(string subject) =>
        Task.FromResult(Versions(subject).Select(v => v.Version).ToList());

    public Task<bool> IsCompatibleAsync(string subject, string avroSchema) => Task.FromResult(true);

    public Task<bool> IsCompatibleAsync(string subject, Schema schema) => Task.FromResult(true);

    public string ConstructKeySubjectName(string topic, string? recordType = null) => $"{topic}-key";

    public string ConstructValueSubjectName(string topic, string? recordType = null) => $"{topic}-value";

    public Task<Compatibility> GetCompatibilityAsync(string? subject = null) => Task.FromResult(Compatibility.None);

    public Task<Compatibility> UpdateCompatibilityAsync(Compatibility compatibility, string? subject = null) =>
        Task.FromResult(compatibility);

    public void ClearLatestCaches()
    {
    }

    public void ClearCaches()
    {
    }

    // Associations are a Confluent Cloud feature; none exist here, so subject naming falls back to <topic>-value.
    public Task<List<Association>> GetAssociationsByResourceNameAsync(
        string resourceName, string resourceNamespace, string resourceType, List<string> associationTypes, string lifecycle, int offset, int limit) =>
        Task.FromResult(new List<Association>());

    public Task<AssociationResponse> CreateAssociationAsync(AssociationCreateOrUpdateRequest request) =>
        throw new NotSupportedException("The in-process schema registry has no associations.");

    public Task DeleteAssociationsAsync(string resourceId, string resourceType, List<string> associationTypes, bool cascadeLifecycle) =>
        throw new NotSupportedException("The in-process schema registry has no associations.");

    public void Dispose()
    {
    }

    private List<RegisteredSchema> Versions(string subject)
    {
        lock (gate)
        {
            return versionsBySubject.TryGetValue(subject, out var versions) ? [.. versions] : [];
        }
    }

    private static SchemaRegistryException NotFound(string message) =>
        new(message, HttpStatusCode.NotFound, 40401);
}
