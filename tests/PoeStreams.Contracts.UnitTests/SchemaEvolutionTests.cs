using Avro;

namespace PoeStreams.Contracts.UnitTests;

/// <summary>
/// Every schema stays BACKWARD compatible with its released versions (kept in schemas/released/N/), by
/// the rules Confluent Schema Registry enforces: a consumer on the new schema reads what producers on
/// an old one wrote. A breaking change fails here with the field named.
/// </summary>
public class SchemaEvolutionTests
{
    private const string Job = """
        {"type": "record", "name": "Job", "namespace": "poe", "fields": [
          {"name": "job_id", "type": "string"},
          {"name": "count", "type": "int"},
          {"name": "value", "type": {"type": "bytes", "logicalType": "decimal", "precision": 38, "scale": 18}},
          {"name": "status", "type": {"type": "enum", "name": "Status", "symbols": ["Verified", "Failed"]}},
          {"name": "note", "type": ["null", "string"], "default": null}
        ]}
        """;

    public static TheoryData<string> ReleasedSchemas =>
        [.. Directory.GetDirectories(Repository.Path("schemas", "released")).SelectMany(version => Directory.GetFiles(version, "*.avsc"))
            .Select(path => Path.GetRelativePath(Repository.Path("schemas", "released"), path))];

    [Theory]
    [MemberData(nameof(ReleasedSchemas))]
    public void The_current_schema_reads_what_its_released_version_wrote(string released)
    {
        var current = Repository.Path("schemas", Path.GetFileName(released));
        Assert.True(File.Exists(current), $"schemas/{Path.GetFileName(released)} was released and must not be removed");

        var problems = SchemaCompatibility.BackwardProblems(Parse(current), Parse(Repository.Path("schemas", "released", released)));

        Assert.True(problems.Count == 0, $"schemas/{Path.GetFileName(released)} breaks released version {released}: {string.Join("; ", problems)}");
    }

    [Theory]
    [InlineData("""{"name": "note", "type": ["null", "string"], "default": null}""", """{"name": "note", "type": ["null", "string"], "default": null}, {"name": "origin", "type": "string"}""", "poe.Job.origin: added without a default")]
    [InlineData("\"Verified\", \"Failed\"", "\"Verified\"", "poe.Job.status: symbol Failed removed")]
    [InlineData("""{"name": "job_id", "type": "string"}""", """{"name": "job_id", "type": "int"}""", "poe.Job.job_id: type changed from string to int")]
    [InlineData("\"scale\": 18", "\"scale\": 8", "poe.Job.value: type changed from decimal(38, 18) to decimal(38, 8)")]
    [InlineData("""{"name": "count", "type": "int"}""", """{"name": "count", "type": "long"}, {"name": "origin", "type": "string", "default": "upstream"}""", null)]
    public void A_change_is_compatible_or_fails_naming_what_breaks(string before, string after, string? problem)
    {
        var released = Schema.Parse(Job);
        var changed = Schema.Parse(Job.Replace(before, after, StringComparison.Ordinal));

        var problems = SchemaCompatibility.BackwardProblems(changed, released);

        if (problem is null)
        {
            Assert.Empty(problems);
        }
        else
        {
            Assert.StartsWith(problem, Assert.Single(problems), StringComparison.Ordinal);
        }
    }

    private static Schema Parse(string path) => Schema.Parse(File.ReadAllText(path));
}
