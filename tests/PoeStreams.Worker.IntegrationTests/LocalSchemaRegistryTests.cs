using System.Net;
using System.Text;
using System.Text.Json;
using Confluent.SchemaRegistry;
using PoeStreams.Contracts;
using PoeStreams.LocalKafka;

namespace PoeStreams.Worker.IntegrationTests;

/// <summary>The local schema registry, over HTTP, as Confluent's own .NET client and a plain HTTP client see it.</summary>
public sealed class LocalSchemaRegistryTests : IAsyncLifetime
{
    private const string Subject = "t-value";
    private const string Version1 = """{"type":"record","name":"R","namespace":"n","fields":[{"name":"a","type":"string"}]}""";
    private const string WithDefault = """{"type":"record","name":"R","namespace":"n","fields":[{"name":"a","type":"string"},{"name":"b","type":"int","default":0}]}""";
    private const string WithoutDefault = """{"type":"record","name":"R","namespace":"n","fields":[{"name":"a","type":"string"},{"name":"priority","type":"int"}]}""";
    private LocalSchemaRegistry server = null!;
    private ISchemaRegistryClient client = null!;
    private readonly HttpClient http = new();

    public Task InitializeAsync()
    {
        server = LocalSchemaRegistry.Start([], port: 0);
        client = SchemaRegistryClients.Connect(server.Url);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        http.Dispose();
        await server.DisposeAsync();
    }

    [Fact]
    public void A_taken_port_is_a_clear_error_naming_the_registry()
    {
        var port = new Uri(server.Url).Port;

        var error = Assert.Throws<PortInUseException>(() => LocalSchemaRegistry.Start([], port));

        Assert.Equal($"127.0.0.1:{port} is already in use, so the local schema registry cannot listen there: stop whatever listens there or choose another port.", error.Message);
    }

    [Fact]
    public async Task Registering_the_same_schema_again_returns_the_same_id_and_adds_no_version()
    {
        var first = await client.RegisterSchemaAsync(Subject, new Schema(Version1, SchemaType.Avro));
        var again = await SchemaRegistryClients.Connect(server.Url).RegisterSchemaAsync(Subject, new Schema(Version1.Replace(",", ", ", StringComparison.Ordinal), SchemaType.Avro));

        Assert.Equal(first, again);
        Assert.Equal([1], await client.GetSubjectVersionsAsync(Subject));
    }

    [Fact]
    public async Task A_schema_is_found_by_id_by_version_as_latest_and_by_lookup()
    {
        var v1 = await client.RegisterSchemaAsync(Subject, new Schema(Version1, SchemaType.Avro));
        var v2 = await client.RegisterSchemaAsync(Subject, new Schema(WithDefault, SchemaType.Avro));

        Assert.Equal(WithDefault, (await client.GetSchemaAsync(v2)).SchemaString);
        Assert.Equal((v1, 1), await VersionAsync(client.GetRegisteredSchemaAsync(Subject, 1)));
        Assert.Equal((v2, 2), await VersionAsync(client.GetLatestSchemaAsync(Subject)));
        Assert.Equal((v1, 1), await VersionAsync(client.LookupSchemaAsync(Subject, new Schema(Version1, SchemaType.Avro), ignoreDeletedSchemas: true)));
        Assert.Equal([1, 2], await client.GetSubjectVersionsAsync(Subject));
        Assert.Equal([Subject], await client.GetAllSubjectsAsync());
    }

    [Fact]
    public async Task The_same_schema_under_another_subject_keeps_its_id()
    {
        var id = await client.RegisterSchemaAsync(Subject, new Schema(Version1, SchemaType.Avro));

        Assert.Equal(id, await client.RegisterSchemaAsync("other-value", new Schema(Version1, SchemaType.Avro)));
    }

    [Fact]
    public async Task A_backward_incompatible_schema_is_refused_with_409_naming_the_field()
    {
        await client.RegisterSchemaAsync(Subject, new Schema(Version1, SchemaType.Avro));

        var refused = await Assert.ThrowsAsync<SchemaRegistryException>(() => client.RegisterSchemaAsync(Subject, new Schema(WithoutDefault, SchemaType.Avro)));

        Assert.Equal(409, refused.ErrorCode);
        Assert.Contains("n.R.priority", refused.Message, StringComparison.Ordinal);
        Assert.False(await client.IsCompatibleAsync(Subject, new Schema(WithoutDefault, SchemaType.Avro)));
        Assert.True(await client.IsCompatibleAsync(Subject, new Schema(WithDefault, SchemaType.Avro)));
    }

    [Fact]
    public async Task The_compatibility_level_is_read_and_set_globally_and_per_subject()
    {
        await client.RegisterSchemaAsync(Subject, new Schema(Version1, SchemaType.Avro));

        Assert.Equal(Compatibility.Backward, await client.GetCompatibilityAsync());
        Assert.Equal(Compatibility.None, await client.UpdateCompatibilityAsync(Compatibility.None, Subject));
        Assert.Equal(Compatibility.None, await client.GetCompatibilityAsync(Subject));
        Assert.True(await client.RegisterSchemaAsync(Subject, new Schema(WithoutDefault, SchemaType.Avro)) > 0);
        Assert.Equal(Compatibility.Backward, await client.GetCompatibilityAsync());
    }

    [Theory]
    [InlineData("GET", "/subjects/missing/versions", "", 404, 40401)]
    [InlineData("GET", "/schemas/ids/999", "", 404, 40403)]
    [InlineData("GET", "/subjects/t-value/versions/7", "", 404, 40402)]
    [InlineData("GET", "/subjects/t-value/versions/zero", "", 422, 42202)]
    [InlineData("POST", "/subjects/t-value/versions", """{"schema":"{not avro"}""", 422, 42201)]
    [InlineData("POST", "/subjects/t-value/versions", """{"schema":"{}","schemaType":"PROTOBUF"}""", 422, 42201)]
    [InlineData("PUT", "/config", """{"compatibility":"SIDEWAYS"}""", 422, 42203)]
    [InlineData("GET", "/config/t-value", "", 404, 40408)]
    [InlineData("DELETE", "/subjects/t-value", "", 405, 405)]
    [InlineData("POST", "/subjects/t-value/versions", "not json", 400, 400)]
    public async Task Errors_carry_the_status_and_Confluents_error_code_and_message(string method, string path, string body, int status, int errorCode)
    {
        await client.RegisterSchemaAsync(Subject, new Schema(Version1, SchemaType.Avro));

        using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), server.Url + path) { Content = new StringContent(body, Encoding.UTF8, "application/vnd.schemaregistry.v1+json") });

        Assert.Equal((HttpStatusCode)status, response.StatusCode);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(errorCode, error.RootElement.GetProperty("error_code").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(error.RootElement.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task A_registry_started_with_the_catalog_gives_its_subjects_ids_in_catalog_order_whatever_the_run()
    {
        var subjects = TopicCatalog.Subjects().ToList();
        await using var one = LocalSchemaRegistry.Start(subjects, port: 0);
        await using var another = LocalSchemaRegistry.Start(subjects, port: 0);
        using var first = SchemaRegistryClients.Connect(one.Url);
        using var second = SchemaRegistryClients.Connect(another.Url);

        foreach (var (subject, index) in subjects.Select((s, i) => (s.Subject, i)))
        {
            Assert.Equal(index + 1, (await first.GetLatestSchemaAsync(subject)).Id);
            Assert.Equal(index + 1, (await second.GetLatestSchemaAsync(subject)).Id);
        }
    }

    private static async Task<(int Id, int Version)> VersionAsync(Task<RegisteredSchema> lookup)
    {
        var registered = await lookup;
        return (registered.Id, registered.Version);
    }
}
