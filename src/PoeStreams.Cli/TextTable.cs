namespace PoeStreams.Cli;

/// <summary>
/// Rows as plain text that fits the terminal and never wraps a cell, so what an operator reads over
/// ssh, in a pipe or in a log is one line per row. One row is a vertical field/value list; several
/// are columns, as many as fit the width (left to right, the first column always), with a last line
/// naming the columns left out; <c>wide</c> keeps every column whatever the width.
/// </summary>
public static class TextTable
{
    private const string Gap = "  ";

    public static IReadOnlyList<string> Render(IReadOnlyList<string> columns, IReadOnlyList<IReadOnlyList<string>> rows, int width, bool wide)
    {
        if (rows.Count == 0)
        {
            return ["(no rows)"];
        }

        if (rows.Count == 1)
        {
            var label = columns.Max(c => c.Length);
            return [.. columns.Select((column, i) => (column.PadRight(label) + Gap + rows[0][i]).TrimEnd())];
        }

        var widths = columns.Select((column, i) => Math.Max(column.Length, rows.Max(r => r[i].Length))).ToArray();
        var numeric = columns.Select((_, i) => rows.All(r => IsNumber(r[i]))).ToArray();
        var shown = wide ? columns.Count : ColumnsThatFit(widths, width);
        var lines = new List<string>
        {
            Line(columns, widths, numeric, shown),
            Line(widths.Select(w => new string('-', w)).ToArray(), widths, numeric, shown),
        };
        lines.AddRange(rows.Select(row => Line(row, widths, numeric, shown)));
        if (shown < columns.Count)
        {
            lines.Add($"(hidden: {string.Join(", ", columns.Skip(shown))}; use --wide)");
        }

        return lines;
    }

    // The first column always; then each next one while the line stays within the width.
    private static int ColumnsThatFit(int[] widths, int width)
    {
        var used = widths[0];
        var count = 1;
        while (count < widths.Length && used + Gap.Length + widths[count] <= width)
        {
            used += Gap.Length + widths[count];
            count++;
        }

        return count;
    }

    private static string Line(IReadOnlyList<string> cells, int[] widths, bool[] numeric, int shown) =>
        string.Join(Gap, Enumerable.Range(0, shown).Select(i => numeric[i] ? cells[i].PadLeft(widths[i]) : cells[i].PadRight(widths[i]))).TrimEnd();

    private static bool IsNumber(string text) =>
        decimal.TryParse(text, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out _);
}
