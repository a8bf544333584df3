using PoeStreams.Contracts.Generator;

namespace PoeStreams.Contracts.UnitTests;

public class GeneratedCodeTests
{
    [Fact]
    public void Committed_contracts_match_the_schemas()
    {
        var expected = ContractsCodeGenerator.Generate(Repository.Path("schemas"));
        var generatedDirectory = Repository.Path("src", "PoeStreams.Contracts", "Generated");
        var committed = Directory.GetFiles(generatedDirectory, "*.cs")
            .ToDictionary(path => Path.GetFileName(path), path => File.ReadAllText(path).ReplaceLineEndings("\n"), StringComparer.Ordinal);

        Assert.True(
            expected.Keys.SequenceEqual(committed.Keys.Order(StringComparer.Ordinal)),
            $"Generated files differ from the schemas' types; run `make schemas`. Expected [{string.Join(", ", expected.Keys)}], found [{string.Join(", ", committed.Keys.Order(StringComparer.Ordinal))}].");
        foreach (var (name, text) in expected)
        {
            Assert.True(text == committed[name], $"src/PoeStreams.Contracts/Generated/{name} is stale; run `make schemas`.");
        }
    }

    [Fact]
    public void Every_topic_value_has_a_schema_with_18_place_decimals()
    {
        var schemas = Directory.GetFiles(Repository.Path("schemas"), "*.avsc").Select(File.ReadAllText).ToList();

        Assert.Equal(12, schemas.Count);
        Assert.All(schemas, text => Assert.DoesNotContain("\"scale\": 2", text));
        Assert.All(schemas.Where(t => t.Contains("\"decimal\"", StringComparison.Ordinal)), text => Assert.Contains("\"scale\": 18", text));
    }
}
