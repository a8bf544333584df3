using System.Globalization;
using PoeStreams.Economics;
using PoeStreams.Economics.Mining;
using PoeStreams.Economics.Salary;
using PoeStreams.Economics.Time;

namespace PoeStreams.Storage.ClickHouse.History;

/// <summary>
/// The questions operators ask the history, one method each, answered with typed rows. This is the
/// only place their SQL is written: every value from a user goes in through <see cref="Sql.Literal"/>
/// (or is a number or an enum), and the database name is checked by the worker's rule before any query.
/// Reads are TSV text, so they work on Debian's ClickHouse 18.16 and current servers alike.
/// </summary>
public sealed class PoeHistory
{
    private readonly ClickHouseStore store;
    private readonly string db;

    public PoeHistory(ClickHouseStore store)
    {
        if (ClickHouseOptions.DatabaseNameProblem(store.Options.Database) is { } problem)
        {
            throw new ArgumentException($"database {problem}", nameof(store));
        }

        this.store = store;
        db = store.Options.Database;
    }

    // The end of the last closed epoch: what "since the last close" is measured from.
    private string LastClose => $"(SELECT max(window_end) FROM {db}.index_snapshots FINAL)";

    public async Task<StatusOverview?> LastClosedEpochAsync(CancellationToken cancellationToken) =>
        (await QueryAsync(
            $"SELECT epoch_id, active_miners, verified_jobs, gamma, "
            // As text: ClickHouse 18.16 cannot return a Decimal from a scalar subquery.
            + $"(SELECT toString(any(pool)) FROM {db}.reward_manifests FINAL WHERE epoch_id = (SELECT max(epoch_id) FROM {db}.index_snapshots FINAL)) AS nex_pool, "
            + $"(SELECT count() FROM {db}.jobs FINAL WHERE completion_time >= {LastClose}) AS jobs_since, "
            + $"(SELECT count() FROM {db}.miners FINAL) AS registered_miners, "
            + $"(SELECT count() FROM {db}.dead_letters FINAL) AS dead_letters "
            + $"FROM {db}.index_per_epoch ORDER BY epoch_id DESC LIMIT 1",
            r => new StatusOverview(r["epoch_id"], L(r["active_miners"]), L(r["verified_jobs"]), D(r["gamma"]), MaybeD(r["nex_pool"]), L(r["jobs_since"]), L(r["registered_miners"]), L(r["dead_letters"])),
            cancellationToken)).SingleOrDefault();

    public Task<List<ReceivedJobs>> VerifiedJobsSinceLastCloseAsync(int limit, CancellationToken cancellationToken) =>
        QueryAsync(
            $"SELECT miner_id, count() AS verified_jobs, sum(job_value) AS verified_value FROM {db}.jobs FINAL "
            + $"WHERE status = 'Verified' AND completion_time >= {LastClose} AND miner_id IN (SELECT miner_id FROM {db}.miners FINAL) "
            + $"GROUP BY miner_id ORDER BY verified_value DESC, miner_id LIMIT {Number(limit)}",
            r => new ReceivedJobs(r["miner_id"], L(r["verified_jobs"]), D(r["verified_value"])),
            cancellationToken);

    public Task<List<JobCount>> JobsSinceLastCloseAsync(CancellationToken cancellationToken) =>
        QueryAsync(
            $"SELECT job_type, status, count() AS jobs, sum(job_value) AS value FROM {db}.jobs FINAL "
            + $"WHERE completion_time >= {LastClose} AND miner_id IN (SELECT miner_id FROM {db}.miners FINAL) GROUP BY job_type, status ORDER BY job_type, status",
            r => new JobCount(r["job_type"], r["status"], L(r["jobs"]), D(r["value"])),
            cancellationToken);

    public async Task<NetworkSummary> NetworkAsync(CancellationToken cancellationToken) =>
        (await QueryAsync(
            $"SELECT count() AS epochs, avg(toFloat64(phi)) AS mean_phi, avg(toFloat64(gamma)) AS mean_gamma, sum(verified_jobs) AS verified_jobs, max(active_miners) AS peak_active_miners FROM {db}.index_per_epoch",
            r => new NetworkSummary(L(r["epochs"]), MaybeD(r["mean_phi"]), MaybeD(r["mean_gamma"]), L(r["verified_jobs"]), L(r["peak_active_miners"])),
            cancellationToken)).Single();

    public Task<List<MinerSummary>> TopMinersAsync(int top, CancellationToken cancellationToken) =>
        QueryAsync(
            $"SELECT miner_id, sum(share) AS nex_earned, sum(job_count) AS jobs, count() AS active_epochs, max(reputation_after) AS reputation FROM {db}.miner_rewards FINAL GROUP BY miner_id ORDER BY nex_earned DESC, miner_id LIMIT {Number(top)}",
            r => new MinerSummary(r["miner_id"], D(r["nex_earned"]), L(r["jobs"]), L(r["active_epochs"]), D(r["reputation"])),
            cancellationToken);

    public Task<List<DeadLetterCount>> DeadLettersByReasonAsync(CancellationToken cancellationToken) =>
        QueryAsync(
            $"SELECT reason, count() AS dead_letters FROM {db}.dead_letters FINAL GROUP BY reason ORDER BY dead_letters DESC, reason",
            r => new DeadLetterCount(r["reason"], L(r["dead_letters"])),
            cancellationToken);

    public Task<List<JobTypeTotal>> JobTypesAsync(CancellationToken cancellationToken) =>
        QueryAsync(
            $"SELECT job_type, sum(jobs) AS jobs, sum(value) AS value FROM {db}.job_type_distribution GROUP BY job_type ORDER BY job_type",
            r => new JobTypeTotal(r["job_type"], L(r["jobs"]), D(r["value"])),
            cancellationToken);

    public Task<List<DailyFees>> FeesByDayAsync(CancellationToken cancellationToken) =>
        QueryAsync(
            $"SELECT toString(day) AS day, miner_locked, miner_spendable, owner_salary, treasury, total_fee FROM {db}.fees_by_stream ORDER BY day",
            r => new DailyFees(r["day"], D(r["miner_locked"]), D(r["miner_spendable"]), D(r["owner_salary"]), D(r["treasury"]), D(r["total_fee"])),
            cancellationToken);

    public Task<List<MintTotal>> MintTotalsAsync(CancellationToken cancellationToken) =>
        QueryAsync(
            $"SELECT token, minted, eligible_epochs, supply FROM {db}.mint_totals ORDER BY token",
            r => new MintTotal(r["token"], D(r["minted"]), L(r["eligible_epochs"]), D(r["supply"])),
            cancellationToken);

    public async Task<MinerScore?> LastScoreAsync(string minerId, CancellationToken cancellationToken) =>
        (await QueryAsync(
            $"SELECT epoch_id, raw_score, normalized_score, prestige, diversity, weight, share, reputation_after, job_count FROM {db}.miner_rewards FINAL WHERE miner_id = {Sql.Literal(minerId)} ORDER BY epoch_id DESC LIMIT 1",
            r => new MinerScore(r["epoch_id"], D(r["raw_score"]), D(r["normalized_score"]), D(r["prestige"]), D(r["diversity"]), D(r["weight"]), D(r["share"]), D(r["reputation_after"]), L(r["job_count"])),
            cancellationToken)).SingleOrDefault();

    public Task<List<ScoredJob>> ScoredJobsAsync(string minerId, string epochId, CancellationToken cancellationToken) =>
        QueryAsync(
            $"SELECT job_id, job_type, job_value, quality_score FROM {db}.jobs FINAL WHERE miner_id = {Sql.Literal(minerId)} AND status = 'Verified' "
            + $"AND job_id IN (SELECT job_id FROM {db}.job_fee_splits FINAL WHERE epoch_id = {Sql.Literal(epochId)}) ORDER BY job_id",
            r => new ScoredJob(r["job_id"], r["job_type"], D(r["job_value"]), D(r["quality_score"])),
            cancellationToken);

    public Task<List<RewardPeriod>> RewardsAsync(string minerId, RewardBucket bucket, CancellationToken cancellationToken)
    {
        var period = bucket switch
        {
            RewardBucket.Day => "toString(toDate(epoch_start))",
            RewardBucket.Month => "formatDateTime(epoch_start, '%Y-%m')",
            _ => "epoch_id",
        };
        return QueryAsync(
            $"SELECT {period} AS period, sum(share) AS nex, count() AS epochs, sum(job_count) AS jobs FROM {db}.miner_rewards FINAL "
            + $"WHERE miner_id = {Sql.Literal(minerId)} GROUP BY period ORDER BY period DESC LIMIT 24",
            r => new RewardPeriod(r["period"], D(r["nex"]), L(r["epochs"]), L(r["jobs"])),
            cancellationToken);
    }

    public Task<List<TokenSupply>> SupplyAsync(CancellationToken cancellationToken) =>
        QueryAsync(
            $"SELECT token, supply, minted, eligible_epochs, epochs FROM {db}.mint_totals ORDER BY token",
            r => new TokenSupply(r["token"], D(r["supply"]), D(r["minted"]), L(r["eligible_epochs"]), L(r["epochs"])),
            cancellationToken);

    /// <summary>Supply per token, projected at the average issuance of its last 12 epochs.</summary>
    public Task<List<ProjectedSupply>> ProjectedSupplyAsync(int epochsPerDay, CancellationToken cancellationToken) =>
        QueryAsync(
            $"SELECT token, supply, minted, eligible_epochs, epochs, toDecimal64(supply + recent_per_epoch * {Number(epochsPerDay)}, 8) AS in_1_day, "
            + $"toDecimal64(supply + recent_per_epoch * {Number(epochsPerDay) * 30}, 8) AS in_30_days FROM {db}.mint_totals ANY LEFT JOIN "
            + $"(SELECT token, avg(amount) AS recent_per_epoch FROM (SELECT token, amount FROM {db}.mints FINAL ORDER BY epoch_start DESC LIMIT 12 BY token) GROUP BY token) USING token ORDER BY token",
            r => new ProjectedSupply(r["token"], D(r["supply"]), D(r["minted"]), L(r["eligible_epochs"]), L(r["epochs"]), D(r["in_1_day"]), D(r["in_30_days"])),
            cancellationToken);

    public async Task<SalaryReportSummary?> SalaryReportAsync(YearMonth month, CancellationToken cancellationToken) =>
        (await QueryAsync(
            $"SELECT month, status, gross, capped, excess_to_treasury, immediate, escrow, payout, vested, transparency_hash FROM {db}.owner_salary_reports FINAL WHERE month = {Sql.Literal(month.ToString())}",
            r => new SalaryReportSummary(r["month"], r["status"], D(r["gross"]), D(r["capped"]), D(r["excess_to_treasury"]), D(r["immediate"]), D(r["escrow"]), D(r["payout"]), D(r["vested"]), r["transparency_hash"]),
            cancellationToken)).SingleOrDefault();

    /// <summary>Every month's report, oldest first, as the hash chain covers them.</summary>
    public Task<List<OwnerSalaryReport>> SalaryReportsAsync(CancellationToken cancellationToken) =>
        QueryAsync(
            $"SELECT month, gross, capped, excess_to_treasury, immediate, escrow, payout, vested, vesting_months, vesting_amounts, status, previous_hash, transparency_hash "
            + $"FROM {db}.owner_salary_reports FINAL ORDER BY month",
            r => new OwnerSalaryReport(
                YearMonth.Parse(r["month"]),
                D(r["gross"]),
                D(r["capped"]),
                D(r["excess_to_treasury"]),
                D(r["immediate"]),
                D(r["escrow"]),
                D(r["payout"]),
                D(r["vested"]),
                [.. ArrayOf(r["vesting_months"]).Select(YearMonth.Parse).Zip(ArrayOf(r["vesting_amounts"]).Select(D), (m, amount) => new VestingTranche(m, amount))],
                Enum.Parse<OwnerSalaryStatus>(r["status"]),
                r["previous_hash"],
                r["transparency_hash"]),
            cancellationToken);

    /// <summary>The last <paramref name="limit"/> epochs of the index, oldest first.</summary>
    public async Task<List<IndexEpoch>> IndexAsync(int limit, CancellationToken cancellationToken) =>
        [.. (await QueryAsync(
            $"SELECT epoch_id, phi, gamma, volume, liquidity, uptime, quality, verified_jobs, active_miners FROM {db}.index_per_epoch ORDER BY epoch_id DESC LIMIT {Number(limit)}",
            r => new IndexEpoch(r["epoch_id"], D(r["phi"]), D(r["gamma"]), D(r["volume"]), D(r["liquidity"]), D(r["uptime"]), D(r["quality"]), L(r["verified_jobs"]), L(r["active_miners"])),
            cancellationToken)).AsEnumerable().Reverse()];

    public async Task<MintDecisionSummary?> LastMintDecisionAsync(Token token, CancellationToken cancellationToken) =>
        (await QueryAsync(
            $"SELECT epoch_id, token, eligible, amount, reason, supply_after FROM {db}.mints FINAL WHERE token = {Sql.Literal(token.ToString())} ORDER BY epoch_start DESC LIMIT 1",
            r => new MintDecisionSummary(r["epoch_id"], r["token"], L(r["eligible"]), D(r["amount"]), r["reason"], D(r["supply_after"])),
            cancellationToken)).SingleOrDefault();

    /// <summary>The worker's answer to mint request <paramref name="eventId"/>: the epoch's decision naming it, or its dead letter; null while neither is in the history.</summary>
    public async Task<MintRequestAnswer?> MintAnswerAsync(Token token, string eventId, string governanceTopic, CancellationToken cancellationToken)
    {
        var granted = await QueryAsync(
            $"SELECT epoch_id, reason FROM {db}.mints FINAL WHERE token = {Sql.Literal(token.ToString())} AND position(reason, {Sql.Literal($"({eventId})")}) > 0 LIMIT 1",
            r => new MintRequestAnswer(true, r["epoch_id"], r["reason"]),
            cancellationToken);
        if (granted.Count == 1)
        {
            return granted[0];
        }

        var refused = await QueryAsync(
            $"SELECT detail FROM {db}.dead_letters FINAL WHERE source_topic = {Sql.Literal(governanceTopic)} AND position(detail, {Sql.Literal(eventId)}) > 0 LIMIT 1",
            r => new MintRequestAnswer(false, null, r["detail"]),
            cancellationToken);
        return refused.SingleOrDefault();
    }

    /// <summary>An epoch's manifest and rewards, to rebuild its Merkle tree; null when the epoch has no manifest.</summary>
    public async Task<EpochRewards?> EpochRewardsAsync(string epochId, CancellationToken cancellationToken)
    {
        var manifest = (await QueryAsync(
            $"SELECT epoch_id, merkle_root, merkle_scheme, pool FROM {db}.reward_manifests FINAL WHERE epoch_id = {Sql.Literal(epochId)}",
            r => new PublishedManifest(r["epoch_id"], r["merkle_root"], r["merkle_scheme"], D(r["pool"])),
            cancellationToken)).SingleOrDefault();
        if (manifest is null)
        {
            return null;
        }

        var rewards = await QueryAsync(
            $"SELECT miner_id, raw_score, normalized_score, prestige, diversity, weight, share FROM {db}.miner_rewards FINAL WHERE epoch_id = {Sql.Literal(epochId)}",
            r => new MinerReward(r["miner_id"], D(r["raw_score"]), D(r["normalized_score"]), D(r["prestige"]), D(r["diversity"]), D(r["weight"]), D(r["share"])),
            cancellationToken);
        return new EpochRewards(manifest, rewards);
    }

    public async Task<bool> IsRegisteredAsync(string minerId, CancellationToken cancellationToken) =>
        (await QueryAsync($"SELECT count() AS n FROM {db}.miners FINAL WHERE miner_id = {Sql.Literal(minerId)}", r => L(r["n"]), cancellationToken)).Single() > 0;

    private async Task<List<T>> QueryAsync<T>(string select, Func<Dictionary<string, string>, T> row, CancellationToken cancellationToken) =>
        [.. (await store.QueryAsync(select, cancellationToken).ConfigureAwait(false)).Select(row)];

    // A count or limit goes into SQL as a number, never as text.
    private static long Number(int value) => value;

    private static long L(string text) => long.Parse(text, CultureInfo.InvariantCulture);

    private static decimal D(string text) => decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture);

    // An aggregate of no rows (nan) or an empty scalar subquery has no value.
    private static decimal? MaybeD(string text) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;

    // ClickHouse's text form of an array: ['2026-12','2027-01'] or [15.000,15.000].
    private static IEnumerable<string> ArrayOf(string text) =>
        text.Trim('[', ']').Split(',', StringSplitOptions.RemoveEmptyEntries).Select(item => item.Trim('\''));
}
