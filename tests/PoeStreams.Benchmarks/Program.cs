using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

if (args is ["clickhouse-throughput", var url])
{
    return await PoeStreams.Benchmarks.ClickHouseThroughputHarness.RunAsync(url);
}

if (args is ["worker-throughput", var count, ..])
{
    int Option(int index, int fallback) => args.Length > index ? int.Parse(args[index], System.Globalization.CultureInfo.InvariantCulture) : fallback;
    return await PoeStreams.Benchmarks.Throughput.ThroughputHarness.RunAsync(
        records: int.Parse(count, System.Globalization.CultureInfo.InvariantCulture), partitions: Option(2, 32), epochs: Option(3, 10), miners: Option(4, 1_000), roundTrip: TimeSpan.FromMilliseconds(Option(5, 0)));
}

if (args is ["contestant", var name, var bootstrapServers, var schemaRegistryUrl, var partitionCount, .. var expectations])
{
    return await PoeStreams.Benchmarks.Throughput.ThroughputHarness.RunContestantAsync(
        name, bootstrapServers, schemaRegistryUrl, int.Parse(partitionCount, System.Globalization.CultureInfo.InvariantCulture), PoeStreams.Benchmarks.Throughput.ThroughputHarness.ParseExpectations(expectations));
}

if (args is ["epoch-close", var counts, ..])
{
    return await PoeStreams.Benchmarks.Throughput.EpochCloseHarness.RunAsync(
        [.. counts.Split(',').Select(c => int.Parse(c, System.Globalization.CultureInfo.InvariantCulture))],
        partitions: args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 32);
}

// In-process: no per-suite project rebuild, so `make bench` finishes in minutes on two cores.
var config = DefaultConfig.Instance
    .AddJob(Job.Default
        .WithToolchain(InProcessEmitToolchain.Instance)
        .WithWarmupCount(2)
        .WithIterationCount(5)
        .WithLaunchCount(1))
    .AddDiagnoser(MemoryDiagnoser.Default)
    .WithOptions(ConfigOptions.DisableOptimizationsValidator);

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
return 0;
