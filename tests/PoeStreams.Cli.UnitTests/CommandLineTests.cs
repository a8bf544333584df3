using PoeStreams.LocalKafka;

namespace PoeStreams.Cli.UnitTests;

[Collection("console")]
public class CommandLineTests
{
    [Theory]
    [InlineData(new[] { "economy", "poe", "generate", "--rate", "5" }, new[] { "generate", "--rate", "5" })]
    [InlineData(new[] { "bpci", "economy", "poe", "dev-broker" }, new[] { "dev-broker" })]
    [InlineData(new[] { "generate" }, new[] { "generate" })]
    public void Bpci_style_prefixes_are_aliases(string[] args, string[] expected)
    {
        Assert.Equal(expected, PoeCli.StripAliasPrefix(args));
    }

    [Theory]
    [InlineData("--rate 0", "--rate must be between 1 and 1000000, got 0")]
    [InlineData("--miners -3", "--miners must be between 1 and 1000000, got -3")]
    [InlineData("--bad-share 1.5", "--bad-share must be between 0 and 1, got 1.5")]
    [InlineData("--start yesterday", "--start must be an ISO-8601 time, got 'yesterday'")]
    public async Task Bad_generate_arguments_exit_non_zero_with_one_line(string arguments, string message)
    {
        var (exitCode, output) = await RunAsync(["generate", .. arguments.Split(' ')]);

        Assert.NotEqual(0, exitCode);
        Assert.Contains(message, output);
        Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("dev-broker --port 70000", "--port must be between 1 and 65535, got 70000")]
    [InlineData("dev-broker --host localhost", "--host must be an IP address, got 'localhost'")]
    [InlineData("demo --epoch-seconds 7", "--epoch-seconds must divide a day (86400), got 7")]
    public async Task Bad_broker_and_demo_arguments_exit_non_zero(string arguments, string message)
    {
        var (exitCode, output) = await RunAsync(arguments.Split(' '));

        Assert.NotEqual(0, exitCode);
        Assert.Contains(message, output);
    }

    [Theory]
    [InlineData("start-mining --specialization compute", "--miner-id must be 1–128 letters, digits or - _ . :, got ''")]
    [InlineData("start-mining --miner-id m1 --specialization mining", "--specialization must be one of Transaction, DataStorage")]
    [InlineData("start-mining --miner-id bad/id --specialization compute", "--miner-id must be 1–128 letters")]
    [InlineData("submit-job --miner-id m1 --type Teleport --value 1 --quality 0.5", "--type must be one of")]
    [InlineData("submit-job --miner-id m1 --type compute --value -5 --quality 0.5", "--value must be a number ≥ 0, got -5")]
    [InlineData("submit-job --miner-id m1 --type compute --value 5 --quality 1.5", "--quality must be between 0 and 1, got 1.5")]
    [InlineData("submit-job --miner-id m1 --type compute --value 5 --quality 0.5 --hosting-hours 3", "--hosting-hours and --hourly-rate must be given together")]
    [InlineData("submit-job --miner-id m1 --type compute --value 5 --quality 0.5 --api-requests 3 --per-request-fee -1", "--api-requests and --per-request-fee must not be negative")]
    [InlineData("weights --volume 0.5", "weights are changed only with --update")]
    [InlineData("index --history --limit 0", "--limit must be between 1 and 10000, got 0")]
    [InlineData("score", "--miner-id must be 1–128 letters, digits or - _ . :, got ''")]
    [InlineData("calculate-rewards --miner-id m1 --period weekly", "--period must be epoch, daily or monthly, got 'weekly'")]
    [InlineData("owner-salary report --month 2026-13", "--month must be YYYY-MM, got '2026-13'")]
    [InlineData("owner-salary transparency", "give --verify, --export FILE or both")]
    [InlineData("minting --token NEX", "give either --check-eligibility or --mint")]
    [InlineData("minting --check-eligibility --mint --token NEX", "give either --check-eligibility or --mint")]
    [InlineData("minting --mint --token GEN --amount 1", "GEN has a fixed supply and is never minted")]
    [InlineData("minting --mint --token NEX", "--mint needs --amount N")]
    [InlineData("minting --mint --token NEX --amount -5", "--amount: the amount must be positive, got -5")]
    [InlineData("minting --mint --token FLX --amount 0.000000001", "--amount: the amount has more than 8 decimal places: 0.000000001")]
    [InlineData("minting --mint --token NEX --amount 5000", "--amount 5000 is over the NEX epoch cap of 1000; the worker would refuse it")]
    [InlineData("minting --mint --token 2 --amount 1", "--token must be GEN, NEX, FLX or AUR, got '2'")]
    [InlineData("minting --mint --token NEX --amount 1 --wait -1", "--wait must be 0–86400 seconds, got -1")]
    [InlineData("minting --check-eligibility --token NEX --amount 1", "--amount and --wait go with --mint")]
    [InlineData("metrics --prometheus --url ftp://host/metrics", "--url must be an http(s) URL, got 'ftp://host/metrics'")]
    [InlineData("owner-salary policy --cap 100", "the policy is changed only with --update")]
    [InlineData("owner-salary policy --update", "--update needs --cap, --vesting or --escrow")]
    [InlineData("analytics --top 0", "--top must be between 1 and 1000, got 0")]
    [InlineData("minting --check-eligibility --token BTC", "--token must be GEN, NEX, FLX or AUR, got 'BTC'")]
    public async Task Bad_operator_arguments_exit_non_zero_with_one_line_and_publish_nothing(string arguments, string message)
    {
        var (exitCode, output) = await RunAsync([.. arguments.Split(' '), "--bootstrap-servers", "127.0.0.1:1"]);

        Assert.NotEqual(0, exitCode);
        Assert.Contains(message, output);
        Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("submit-job --miner-id m1 --type compute --value 1e400 --quality 0.5", "--value must be a decimal number such as 12.5 (at most 28 significant digits, no exponent), got '1e400'")]
    [InlineData("index --history --limit=abc", "--limit must be a whole number, got 'abc'")]
    [InlineData("generate --rate 1.5", "--rate must be a whole number, got '1.5'")]
    [InlineData("minting --mint --token NEX --amount -0", "--amount: the amount must be positive, got 0")]
    public async Task A_value_that_does_not_parse_names_its_option_and_the_expected_form(string arguments, string message)
    {
        var (exitCode, output) = await RunAsync(arguments.Split(' '));

        Assert.Equal(1, exitCode);
        Assert.Equal("poe: " + message, Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Fact]
    public async Task An_over_long_argument_is_cut_in_the_message()
    {
        var (exitCode, output) = await RunAsync(["score", "--miner-id", new string('x', 100_000)]);

        Assert.Equal(1, exitCode);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.EndsWith($"got '{new string('x', ErrorLine.MaxValueLength)}… (100000 characters)'", line, StringComparison.Ordinal);
        Assert.True(line.Length < 200, $"{line.Length} characters");
    }

    [Theory]
    [InlineData("minting --mint --token NEX --amount 5")]
    [InlineData("weights --update --volume 0.3 --liquidity 0.25 --uptime 0.25 --quality 0.2")]
    [InlineData("owner-salary policy --update --vesting 0.4")]
    [InlineData("start-mining --miner-id m1 --specialization compute")]
    public async Task A_publishing_command_whose_broker_does_not_acknowledge_claims_nothing_and_exits_non_zero(string arguments)
    {
        await using var registry = LocalSchemaRegistry.WithCatalog(port: 0);

        var (exitCode, output) = await RunAsync([.. arguments.Split(' '), "--bootstrap-servers", "127.0.0.1:1", "--schema-registry-url", registry.Url]);

        Assert.Equal(1, exitCode);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("poe: the broker at 127.0.0.1:1 ", line, StringComparison.Ordinal);
        Assert.Contains("nothing", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Published", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Registered", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Weights_that_do_not_sum_to_one_are_refused_before_publishing()
    {
        var (exitCode, output) = await RunAsync(["weights", "--update", "--volume", "0.5", "--bootstrap-servers", "127.0.0.1:1"]);

        Assert.Equal(1, exitCode);
        Assert.Contains("they must sum to 1", output);
    }

    [Fact]
    public async Task Weights_show_the_configured_values_as_json()
    {
        var (exitCode, output) = await RunAsync(["economy", "poe", "weights", "--json"]);

        Assert.Equal(0, exitCode);
        using var json = System.Text.Json.JsonDocument.Parse(output);
        Assert.Equal(0.3m, json.RootElement.GetProperty("volume").GetDecimal());
        Assert.Equal(0.2m, json.RootElement.GetProperty("quality").GetDecimal());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, json.RootElement.GetProperty("governance_event").ValueKind);
    }

    [Fact]
    public async Task A_salary_policy_that_breaks_a_rule_is_refused_before_publishing()
    {
        var (exitCode, output) = await RunAsync(["owner-salary", "policy", "--update", "--vesting", "1.5", "--bootstrap-servers", "127.0.0.1:1"]);

        Assert.Equal(1, exitCode);
        Assert.Contains("poe_mining.owner_salary.vesting_percentage: must be between 0 and 1, got 1.5", output);
    }

    [Fact]
    public async Task Metrics_are_printed_from_the_workers_endpoint_and_a_dead_endpoint_is_one_line()
    {
        using var listener = new System.Net.HttpListener();
        var port = Ports.Free();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var serve = Task.Run(async () =>
        {
            var context = await listener.GetContextAsync();
            await context.Response.OutputStream.WriteAsync("# TYPE poe_jobs_processed_total counter\npoe_jobs_processed_total{status=\"verified\"} 3\n"u8.ToArray());
            context.Response.Close();
        });
        var (exitCode, output) = await RunAsync(["metrics", "--export", "--prometheus", "--url", $"http://127.0.0.1:{port}/metrics"]);

        await serve;
        Assert.Equal(0, exitCode);
        Assert.Contains("poe_jobs_processed_total{status=\"verified\"} 3", output);

        var (deadExit, deadOutput) = await RunAsync(["metrics", "--prometheus", "--url", $"http://127.0.0.1:{Ports.Free()}/metrics"]);
        Assert.NotEqual(0, deadExit);
        Assert.Contains("poe: cannot read http://127.0.0.1:", deadOutput);
    }

    [Fact]
    public async Task A_taken_port_is_reported_in_one_line()
    {
        using var squatter = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((System.Net.IPEndPoint)squatter.LocalEndpoint).Port;

        var (exitCode, output) = await RunAsync(["dev-broker", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

        Assert.Equal(3, exitCode);
        Assert.Contains($"poe: 127.0.0.1:{port} is already in use", output);
    }

    [Theory]
    [InlineData("poe; DROP TABLE x")]
    [InlineData("poe`.`jobs")]
    [InlineData("9poe")]
    [InlineData("")]
    public async Task A_hostile_clickhouse_database_is_refused_before_any_query(string database)
    {
        // Nothing listens at the URL: a query would fail with a connection error, not this message.
        var (exitCode, output) = await RunAsync(["status", "--clickhouse-url", $"http://127.0.0.1:{Ports.Free()}", "--clickhouse-database", database]);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("--clickhouse-database must be 1–64 letters, digits and underscores", output, StringComparison.Ordinal);
        Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task An_overlong_clickhouse_database_is_cut_in_the_message()
    {
        var (exitCode, output) = await RunAsync(["status", "--clickhouse-database", new string('x', 100_000)]);

        Assert.NotEqual(0, exitCode);
        Assert.InRange(output.Length, 1, 300);
    }

    [Fact]
    public async Task Every_command_and_subcommand_renders_its_whole_help()
    {
        // The command tree as Spectre.Console.Cli describes it, so a command added later is covered too.
        var (_, model) = await RunAsync(["cli", "xmldoc"]);
        var commands = System.Xml.Linq.XDocument.Parse(model).Root!.Elements("Command")
            .SelectMany(command => PathsOf(command, []))
            .ToList();
        Assert.Contains(["submit-job"], commands);
        Assert.Contains(["owner-salary", "report"], commands);

        foreach (var path in commands)
        {
            var (exitCode, help) = await RunAsync([.. path, "--help"]);

            Assert.True(exitCode == 0, $"poe {string.Join(' ', path)} --help exited {exitCode}: {help}");
            Assert.DoesNotContain("poe:", help, StringComparison.Ordinal);
            Assert.Contains("USAGE:", help, StringComparison.Ordinal);
            Assert.Contains("-h, --help", help, StringComparison.Ordinal);
        }
    }

    private static IEnumerable<string[]> PathsOf(System.Xml.Linq.XElement command, string[] parent)
    {
        string[] path = [.. parent, command.Attribute("Name")!.Value];
        return command.Elements("Command").Any()
            ? command.Elements("Command").SelectMany(child => PathsOf(child, path)).Prepend(path)
            : [path];
    }

    private static Task<(int ExitCode, string Output)> RunAsync(string[] args) => ConsoleCapture.RunAsync(() => PoeCli.RunAsync(args));
}
