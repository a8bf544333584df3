namespace PoeStreams.Cli.UnitTests;

/// <summary>What an operator reads on an 80-column terminal, over ssh or in a pipe: one line per row, never a wrapped cell.</summary>
public class TextTableTests
{
    private static readonly string[] Columns = ["last_closed_epoch", "active_miners", "verified_jobs", "gamma", "nex_pool", "jobs_since", "registered_miners", "dead_letters"];

    private static readonly IReadOnlyList<string>[] TwoRows =
    [
        ["2026-11-28T05:54:20Z", "20", "2960", "0.803298660000000000", "803.29866402", "12", "20", "76"],
        ["2026-11-28T05:54:40Z", "19", "2891", "0.801000000000000000", "801.00000000", "3", "20", "77"],
    ];

    [Fact]
    public void A_single_row_is_a_vertical_list_of_fields_and_values()
    {
        var lines = TextTable.Render(Columns, [TwoRows[0]], width: 80, wide: false);

        Assert.Equal(Columns.Length, lines.Count);
        Assert.Equal("last_closed_epoch  2026-11-28T05:54:20Z", lines[0]);
        Assert.Equal("gamma              0.803298660000000000", lines[3]);
    }

    [Fact]
    public void Rows_show_the_columns_that_fit_80_characters_whole_and_name_the_others()
    {
        var lines = TextTable.Render(Columns, TwoRows, width: 80, wide: false);

        Assert.All(lines, line => Assert.True(line.Length <= 80, $"{line.Length}: {line}"));
        Assert.Contains("2026-11-28T05:54:20Z", lines[2], StringComparison.Ordinal);
        Assert.Contains("0.803298660000000000", lines[2], StringComparison.Ordinal);
        Assert.Equal(5, lines.Count);
        Assert.Equal("(hidden: nex_pool, jobs_since, registered_miners, dead_letters; use --wide)", lines[^1]);
    }

    [Fact]
    public void Wide_keeps_every_column_on_one_line_per_row()
    {
        var lines = TextTable.Render(Columns, TwoRows, width: 80, wide: true);

        Assert.Equal(4, lines.Count);
        Assert.EndsWith("76", lines[2], StringComparison.Ordinal);
        Assert.True(lines[2].Length > 80);
    }

    [Fact]
    public void Numbers_are_aligned_right_and_text_left()
    {
        var lines = TextTable.Render(["miner_id", "jobs"], [["m1", "5"], ["miner-22", "1234"]], width: 80, wide: false);

        Assert.Equal(["miner_id  jobs", "--------  ----", "m1           5", "miner-22  1234"], lines);
    }
}
