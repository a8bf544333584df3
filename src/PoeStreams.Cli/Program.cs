using System.Runtime.InteropServices;
using Microsoft.Extensions.DependencyInjection;
using PoeStreams.Cli;
using PoeStreams.Cli.Commands;
using PoeStreams.LocalKafka;
using Spectre.Console;
using Spectre.Console.Cli;

return await PoeCli.RunAsync(args);

namespace PoeStreams.Cli
{
    /// <summary>The <c>poe</c> command line; <c>poe economy poe …</c> and <c>bpci economy poe …</c> are accepted as aliases.</summary>
    public static class PoeCli
    {
        public static async Task<int> RunAsync(string[] args, TimeProvider? clock = null)
        {
            // Tables fit the terminal (80 columns when the output is not one); messages are never
            // wrapped into several lines when they go to a pipe or a log.
            Terminal.Columns = AnsiConsole.Console.Profile.Width;
            if (!AnsiConsole.Console.Profile.Out.IsTerminal)
            {
                AnsiConsole.Console.Profile.Width = Terminal.Unwrapped;
            }

            var services = new ServiceCollection();
            services.AddSingleton(clock ?? TimeProvider.System);
            var app = new CommandApp(new TypeRegistrar(services));
            app.Configure(config =>
            {
                config.SetApplicationName("poe");

                // Help and errors go where the rest of the output goes (the console of this run).
                config.ConfigureConsole(AnsiConsole.Console);
                config.AddCommand<DemoCommand>("demo").WithDescription("Run the local broker, the worker and a live load; a line per closed epoch (make run).");
                config.AddCommand<TopicsCommand>("topics").WithDescription("Every topic the worker needs, from the catalog; --script creates them with kafka-topics.sh.");
                config.AddCommand<DevBrokerCommand>("dev-broker").WithDescription("Run an in-memory Kafka broker on 127.0.0.1 with every topic created.");
                config.AddCommand<GenerateCommand>("generate").WithDescription("Publish a seeded, realistic load of miners, jobs, metrics and gold attestations.");
                config.AddCommand<StartMiningCommand>("start-mining").WithDescription("Register a miner and report when the worker saw it.");
                config.AddCommand<SubmitJobCommand>("submit-job").WithDescription("Validate and publish one job; print its fee split.");
                config.AddCommand<IndexCommand>("index").WithDescription("Φ, Γ and components of the last or recent epochs (ClickHouse).");
                config.AddCommand<WeightsCommand>("weights").WithDescription("Show the index weights; --update publishes a validated governance change.");
                config.AddCommand<ScoreCommand>("score").WithDescription("A miner's score, bonuses, weight and share in its last epoch (ClickHouse).");
                config.AddBranch("rewards", rewards =>
                {
                    rewards.SetDescription("Merkle proofs of the epochs' rewards.");
                    rewards.AddCommand<RewardProofCommand>("proof").WithDescription("A miner's leaf, index, audit path and root; checks the root against the manifest (ClickHouse).");
                    rewards.AddCommand<RewardClaimsCommand>("claims").WithDescription("Write an epoch's claims file: root, scheme, pool and every miner's proof (ClickHouse).");
                    rewards.AddCommand<RewardVerifyCommand>("verify").WithDescription("Check a proof, a claims file or a leaf with its path offline; exit 5 when it does not verify.");
                });
                config.AddCommand<CalculateRewardsCommand>("calculate-rewards").WithDescription("A miner's NEX rewards per epoch, day or month (ClickHouse).");
                config.AddCommand<AnalyticsCommand>("analytics").WithDescription("Network, miner and dead-letter summaries of the history (ClickHouse).");
                config.AddCommand<StatisticsCommand>("statistics").WithDescription("Job types, fee streams and mint totals; --export-csv FILE (ClickHouse).");
                config.AddCommand<StatusCommand>("status").WithDescription("The last closed epoch, its miners and jobs, and jobs since (ClickHouse).");
                config.AddCommand<MetricsCommand>("metrics").WithDescription("The worker's metrics in Prometheus text format.");
                config.AddCommand<MintingCommand>("minting").WithDescription("A token's decision in the last closed epoch, with its reason (ClickHouse).");
                config.AddCommand<SupplyCommand>("supply").WithDescription("Supply per token, with projections from the recent issuance (ClickHouse).");
                config.AddBranch("owner-salary", salary =>
                {
                    salary.SetDescription("Owner-salary reports.");
                    salary.AddCommand<OwnerSalaryReportCommand>("report").WithDescription("The report of a month (ClickHouse).");
                    salary.AddCommand<OwnerSalaryPolicyCommand>("policy").WithDescription("Show the salary policy; --update publishes a validated governance change.");
                    salary.AddCommand<OwnerSalaryTransparencyCommand>("transparency").WithDescription("Verify or export the reports' hash chain (ClickHouse).");
                });
                config.SetExceptionHandler((exception, _) =>
                {
                    // Written as is: Spectre would wrap it at the terminal's width into several lines.
                    AnsiConsole.Console.Profile.Out.Writer.WriteLine("poe: " + ErrorLine.For(exception, args));
                    return exception is PortInUseException ? 3 : 1;
                });
            });

            // Ctrl-C and SIGTERM (systemd, Kubernetes, CI) both stop a long-running command gracefully.
            using var cancel = new CancellationTokenSource();
            void Stop(PosixSignalContext signal)
            {
                signal.Cancel = true;
                cancel.Cancel();
            }

            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            return await app.RunAsync(StripAliasPrefix(args), cancel.Token);
        }

        /// <summary>Drops a leading <c>economy poe</c> or <c>bpci economy poe</c>.</summary>
        public static string[] StripAliasPrefix(string[] args) => args switch
        {
            ["bpci", "economy", "poe", .. var rest] => rest,
            ["economy", "poe", .. var rest] => rest,
            _ => args,
        };
    }
}
