using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PoeStreams.Contracts;

namespace PoeStreams.LocalKafka;

/// <summary>A response of the registry's REST API: the HTTP status and its JSON body.</summary>
public sealed record RegistryResponse(int Status, string Body);

/// <summary>
/// The part of Confluent Schema Registry's REST API that Confluent's clients use, without the HTTP
/// server (<see cref="LocalSchemaRegistry"/> serves it): register (idempotent), look up a schema by
/// id, by subject and version or <c>latest</c>, list subjects and versions, read and set the
/// compatibility level globally or per subject, and test compatibility. Ids are global and given in
/// order of first registration; a schema registered again, under any subject, keeps its id (schemas
/// are compared in Avro's parsed form, so whitespace and key order do not matter). Registering checks
/// the subject's compatibility level (default BACKWARD) with <see cref="SchemaCompatibility"/>, the
/// rules <c>make test</c> applies to the released schemas. Errors carry Confluent's <c>error_code</c>
/// and <c>message</c>. Only Avro schemas; no deletes, references, contexts or modes. Thread-safe.
/// </summary>
public sealed class SchemaRegistryApi
{
    // Quotes and apostrophes as they are (the bodies are JSON for API clients, never embedded in HTML).
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly string[] Levels = ["NONE", "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD", "FORWARD_TRANSITIVE", "FULL", "FULL_TRANSITIVE"];
    private readonly Lock gate = new();
    private readonly List<StoredSchema> schemas = [];
    private readonly Dictionary<string, int> idsByCanonicalForm = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, List<int>> subjects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> subjectLevels = new(StringComparer.Ordinal);
    private string globalLevel = "BACKWARD";

    private sealed record StoredSchema(int Id, string Text, Avro.Schema Parsed);

    /// <summary>How many subjects have a schema.</summary>
    public int SubjectCount
    {
        get
        {
            lock (gate)
            {
                return subjects.Count;
            }
        }
    }

    /// <summary>Answers one request. <paramref name="rawPath"/> is the path and query as sent (percent-encoded).</summary>
    public RegistryResponse Handle(string method, string rawPath, string body)
    {
        var (segments, query) = Split(rawPath);
        try
        {
            lock (gate)
            {
                return Route(method.ToUpperInvariant(), segments, query, body);
            }
        }
        catch (RegistryError error)
        {
            return new RegistryResponse(error.Status, Error(error.Code, error.Message));
        }
    }

    /// <summary>Registers <paramref name="schema"/> under <paramref name="subject"/> (the same rules as the API); returns its id.</summary>
    public int Register(string subject, string schema)
    {
        lock (gate)
        {
            return Register(subject, (schema, Parse(schema)));
        }
    }

    private RegistryResponse Route(string method, string[] path, IReadOnlyDictionary<string, string> query, string body) => (method, path) switch
    {
        ("GET", []) => Ok(new JsonObject()),
        ("GET", ["schemas", "types"]) => Ok(new JsonArray("AVRO")),
        ("GET", ["schemas", "ids", var id]) => Ok(new JsonObject { ["schema"] = SchemaById(id).Text }),
        ("GET", ["schemas", "ids", var id, "schema"]) => new RegistryResponse(200, SchemaById(id).Text),
        ("GET", ["schemas", "ids", var id, "versions"]) => Ok(VersionsOf(SchemaById(id).Id)),
        ("GET", ["subjects"]) => Ok(new JsonArray([.. subjects.Keys.Select(s => JsonValue.Create(s))])),
        ("GET", ["subjects", var subject, "versions"]) => Ok(new JsonArray([.. Versions(subject).Select((_, i) => JsonValue.Create(i + 1))])),
        ("GET", ["subjects", var subject, "versions", var version]) => Ok(Described(subject, VersionNumber(subject, version))),
        ("GET", ["subjects", var subject, "versions", var version, "schema"]) => new RegistryResponse(200, (string)Described(subject, VersionNumber(subject, version))["schema"]!),
        ("POST", ["subjects", var subject, "versions"]) => Ok(new JsonObject { ["id"] = Register(subject, RequestedSchema(body)) }),
        ("POST", ["subjects", var subject]) => Ok(LookUp(subject, RequestedSchema(body).Parsed)),
        ("POST", ["compatibility", "subjects", var subject, "versions", var version]) => Ok(CompatibilityCheck(subject, version, RequestedSchema(body).Parsed, query)),
        ("GET", ["config"]) => Ok(new JsonObject { ["compatibilityLevel"] = globalLevel }),
        ("PUT", ["config"]) => Ok(new JsonObject { ["compatibility"] = globalLevel = RequestedLevel(body) }),
        ("GET", ["config", var subject]) => Ok(new JsonObject { ["compatibilityLevel"] = SubjectLevel(subject, query) }),
        ("PUT", ["config", var subject]) => Ok(new JsonObject { ["compatibility"] = subjectLevels[subject] = RequestedLevel(body) }),
        (_, ["schemas" or "subjects" or "config" or "compatibility", ..]) when KnownPath(path) => throw new RegistryError(405, 405, "HTTP 405 Method Not Allowed"),
        _ => throw new RegistryError(404, 404, "HTTP 404 Not Found"),
    };

    private static bool KnownPath(string[] path) => path switch
    {
        ["schemas", "types"] or ["schemas", "ids", _] or ["schemas", "ids", _, "schema" or "versions"] => true,
        ["subjects"] or ["subjects", _] or ["subjects", _, "versions"] or ["subjects", _, "versions", _] or ["subjects", _, "versions", _, "schema"] => true,
        ["config"] or ["config", _] or ["compatibility", "subjects", _, "versions", _] => true,
        _ => false,
    };

    private int Register(string subject, (string Text, Avro.Schema Parsed) schema)
    {
        var (text, parsed) = schema;
        var canonical = parsed.ToString();
        var versions = subjects.GetValueOrDefault(subject) ?? [];
        if (idsByCanonicalForm.TryGetValue(canonical, out var known) && versions.Contains(known))
        {
            return known;
        }

        // The transitive levels check every version, the others the latest.
        var level = LevelOf(subject);
        var problems = Problems(level, parsed, level.EndsWith("_TRANSITIVE", StringComparison.Ordinal) ? versions : versions.TakeLast(1));
        if (problems.Count > 0)
        {
            throw new RegistryError(409, 409, $"Schema being registered is incompatible with an earlier schema for subject \"{subject}\", details: [{string.Join("; ", problems)}]");
        }

        if (!idsByCanonicalForm.TryGetValue(canonical, out var id))
        {
            id = schemas.Count + 1;
            schemas.Add(new StoredSchema(id, text, parsed));
            idsByCanonicalForm[canonical] = id;
        }

        versions.Add(id);
        subjects[subject] = versions;
        return id;
    }

    // What keeps the candidate from the level's rule against each of the versions given.
    private List<string> Problems(string level, Avro.Schema candidate, IEnumerable<int> against)
    {
        var backward = level.StartsWith("BACKWARD", StringComparison.Ordinal) || level.StartsWith("FULL", StringComparison.Ordinal);
        var forward = level.StartsWith("FORWARD", StringComparison.Ordinal) || level.StartsWith("FULL", StringComparison.Ordinal);
        var problems = new List<string>();
        foreach (var existing in against.Select(id => schemas[id - 1].Parsed))
        {
            if (backward)
            {
                problems.AddRange(SchemaCompatibility.BackwardProblems(candidate, existing).Select(p => $"reading old data: {p}"));
            }

            if (forward)
            {
                problems.AddRange(SchemaCompatibility.BackwardProblems(existing, candidate).Select(p => $"old readers of new data: {p}"));
            }
        }

        return problems;
    }

    private JsonObject CompatibilityCheck(string subject, string version, Avro.Schema candidate, IReadOnlyDictionary<string, string> query)
    {
        var problems = Problems(LevelOf(subject), candidate, [Versions(subject)[VersionNumber(subject, version) - 1]]);
        var result = new JsonObject { ["is_compatible"] = problems.Count == 0 };
        if (query.GetValueOrDefault("verbose") == "true")
        {
            result["messages"] = new JsonArray([.. problems.Select(p => JsonValue.Create(p))]);
        }

        return result;
    }

    private JsonObject LookUp(string subject, Avro.Schema candidate)
    {
        var versions = Versions(subject);
        var index = idsByCanonicalForm.TryGetValue(candidate.ToString(), out var id) ? versions.IndexOf(id) : -1;
        return index >= 0 ? Described(subject, index + 1) : throw new RegistryError(404, 40403, "Schema not found");
    }

    private JsonObject Described(string subject, int version)
    {
        var id = Versions(subject)[version - 1];
        return new JsonObject { ["subject"] = subject, ["version"] = version, ["id"] = id, ["schema"] = schemas[id - 1].Text };
    }

    private JsonArray VersionsOf(int id) =>
        new([.. subjects.SelectMany(s => s.Value.Select((v, i) => (Subject: s.Key, Id: v, Version: i + 1)))
            .Where(v => v.Id == id)
            .Select(v => (JsonNode)new JsonObject { ["subject"] = v.Subject, ["version"] = v.Version })]);

    private List<int> Versions(string subject) =>
        subjects.TryGetValue(subject, out var versions) ? versions : throw new RegistryError(404, 40401, $"Subject '{subject}' not found.");

    private int VersionNumber(string subject, string version)
    {
        var versions = Versions(subject);
        if (version is "latest" or "-1")
        {
            return versions.Count;
        }

        if (!int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
        {
            throw new RegistryError(422, 42202, $"The specified version '{version}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
        }

        return number <= versions.Count ? number : throw new RegistryError(404, 40402, $"Version {number} not found.");
    }

    private StoredSchema SchemaById(string id) =>
        int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= 1 && number <= schemas.Count
            ? schemas[number - 1]
            : throw new RegistryError(404, 40403, $"Schema {id} not found");

    private string LevelOf(string subject) => subjectLevels.GetValueOrDefault(subject) ?? globalLevel;

    private string SubjectLevel(string subject, IReadOnlyDictionary<string, string> query) =>
        subjectLevels.TryGetValue(subject, out var level) ? level
        : query.GetValueOrDefault("defaultToGlobal") == "true" ? globalLevel
        : throw new RegistryError(404, 40408, $"Subject '{subject}' does not have subject-level compatibility configured");

    private static (string Text, Avro.Schema Parsed) RequestedSchema(string body)
    {
        var request = ParseBody(body);
        if (request["schemaType"] is { } type && !string.Equals(type.GetValue<string>(), "AVRO", StringComparison.OrdinalIgnoreCase))
        {
            throw new RegistryError(422, 42201, $"Invalid schema: this registry holds Avro schemas only, not {type.GetValue<string>()}");
        }

        if (request["references"] is JsonArray { Count: > 0 })
        {
            throw new RegistryError(422, 42201, "Invalid schema: schema references are not supported by this registry");
        }

        var text = request["schema"] is JsonValue value && value.TryGetValue<string>(out var schema)
            ? schema
            : throw new RegistryError(422, 42201, "Invalid schema: the request has no \"schema\" string");
        return (text, Parse(text));
    }

    private static Avro.Schema Parse(string text)
    {
        try
        {
            return Avro.Schema.Parse(text);
        }
        catch (Exception e) when (e is Avro.AvroException or JsonException or Newtonsoft.Json.JsonException)
        {
            throw new RegistryError(422, 42201, $"Invalid schema: {e.Message}");
        }
    }

    private static string RequestedLevel(string body)
    {
        var level = ParseBody(body)["compatibility"] is JsonValue value && value.TryGetValue<string>(out var text) ? text.ToUpperInvariant() : null;
        return level is not null && Levels.Contains(level)
            ? level
            : throw new RegistryError(422, 42203, "Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive");
    }

    private static JsonObject ParseBody(string body)
    {
        try
        {
            return JsonNode.Parse(body) as JsonObject ?? throw new RegistryError(400, 400, "The request body must be a JSON object");
        }
        catch (JsonException e)
        {
            throw new RegistryError(400, 400, $"The request body is not JSON: {e.Message}");
        }
    }

    private static (string[] Segments, IReadOnlyDictionary<string, string> Query) Split(string rawPath)
    {
        var queryStart = rawPath.IndexOf('?', StringComparison.Ordinal);
        var path = queryStart < 0 ? rawPath : rawPath[..queryStart];
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        var query = queryStart < 0
            ? new Dictionary<string, string>()
            : rawPath[(queryStart + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Select(pair => pair.Split('=', 2))
                .GroupBy(pair => Uri.UnescapeDataString(pair[0]), StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Last() is [_, var v] ? Uri.UnescapeDataString(v) : "", StringComparer.Ordinal);
        return (segments, query);
    }

    private static RegistryResponse Ok(JsonNode body) => new(200, body.ToJsonString(Relaxed));

    private static string Error(int code, string message) => new JsonObject { ["error_code"] = code, ["message"] = message }.ToJsonString(Relaxed);

    private sealed class RegistryError(int status, int code, string message) : Exception(message)
    {
        public int Status { get; } = status;

        public int Code { get; } = code;
    }
}
