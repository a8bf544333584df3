using System.Text;
using ClickHouse.Driver;
using ClickHouse.Driver.ADO;

namespace PoeStreams.Storage.ClickHouse;

/// <summary>Where the history lives.</summary>
public sealed record ClickHouseOptions
{
    public string Url { get; init; } = "http://127.0.0.1:8123";

    public string Database { get; init; } = "poe";

    /// <summary>
    /// Why <paramref name="name"/> cannot be the database (it goes into SQL as an identifier, so only
    /// letters, digits and underscores, not starting with a digit, at most 64), or null when it can.
    /// </summary>
    public static string? DatabaseNameProblem(string name) =>
        name.Length is > 0 and <= 64 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
            ? null
            : $"must be 1–64 letters, digits and underscores, not starting with a digit, got '{Truncated(name)}'";

    private static string Truncated(string text) => text.Length <= 64 ? text : text[..64] + "…";

    public string? Username { get; init; }

    public string? Password { get; init; }

    /// <summary>Compress inserts with the driver's default (zstd); off by default because Debian's 18.16 rejects it.</summary>
    public bool Compression { get; init; }
}

/// <summary>
/// The one small layer every ClickHouse call goes through. It works on Debian's 18.16 and on current
/// servers alike: binary inserts with explicit column types, and reads as TSV text (18.16 lacks the
/// driver's binary result format and server-side parameters), so values from users are escaped with
/// <see cref="Sql.Literal"/> before they reach a query.
/// </summary>
public sealed class ClickHouseStore : IDisposable
{
    private readonly ClickHouseClient client;

    public ClickHouseStore(ClickHouseOptions options)
    {
        Options = options;
        var uri = new Uri(options.Url);
        client = new ClickHouseClient(new ClickHouseClientSettings
        {
            Host = uri.Host,
            Port = (ushort)uri.Port,
            Protocol = uri.Scheme,
            Username = options.Username ?? "default",
            Password = options.Password ?? string.Empty,
            UseCompression = options.Compression,
            JsonReadMode = JsonReadMode.None,
            JsonWriteMode = JsonWriteMode.None,
        });
    }

    public ClickHouseOptions Options { get; }

    public Task ExecuteAsync(string sql, CancellationToken cancellationToken = default) =>
        client.ExecuteNonQueryAsync(sql, null, null, cancellationToken);

    /// <summary>
    /// Inserts <paramref name="rows"/> with the binary protocol. Large batches go as two parallel
    /// requests: on two cores that is what keeps both the client and the server busy.
    /// </summary>
    public Task<long> InsertAsync(string table, IReadOnlyList<Column> columns, IReadOnlyList<object?[]> rows, CancellationToken cancellationToken = default)
    {
        var parallel = rows.Count >= ParallelInsertThreshold ? 2 : 1;
        return client.InsertBinaryAsync(
            $"{Options.Database}.{table}",
            columns.Select(c => c.Name),
            rows!,
            new InsertOptions
            {
                Compressor = Options.Compression ? DefaultCompressor : null,
                ColumnTypes = columns.ToDictionary(c => c.Name, c => c.Type),
                BatchSize = Math.Max(1, (rows.Count + parallel - 1) / parallel),
                MaxDegreeOfParallelism = parallel,
            },
            cancellationToken);
    }

    private const int ParallelInsertThreshold = 20_000;

    // The driver's default (zstd): current servers accept it, Debian's 18.16 does not.
    private static readonly global::ClickHouse.Driver.Compression.IClickHouseCompressor? DefaultCompressor = new InsertOptions().Compressor;

    /// <summary>Runs a SELECT and returns its rows as column name → text.</summary>
    public async Task<List<Dictionary<string, string>>> QueryAsync(string select, CancellationToken cancellationToken = default)
    {
        using var result = await client.ExecuteRawResultAsync(select + " FORMAT TSVWithNames", null, cancellationToken).ConfigureAwait(false);
        var lines = (await result.ReadAsStringAsync().ConfigureAwait(false)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0)
        {
            return [];
        }

        var names = lines[0].Split('\t').Select(Sql.UnescapeTsv).ToArray();
        return lines.Skip(1)
            .Select(line => line.Split('\t').Select(Sql.UnescapeTsv).Select((value, i) => (names[i], value)).ToDictionary(p => p.Item1, p => p.value))
            .ToList();
    }

    public void Dispose() => client.Dispose();
}

/// <summary>A column of a table: its name and ClickHouse type.</summary>
/// <param name="Since">The migration that added the column (1: the table's own).</param>
/// <param name="Default">What rows written before the column existed read as (a ClickHouse literal).</param>
public sealed record Column(string Name, string Type, int Since = 1, string? Default = null);

/// <summary>Escaping of values that go into SQL text.</summary>
public static class Sql
{
    /// <summary>A ClickHouse string literal: backslashes and quotes escaped, so no input can end the literal.</summary>
    public static string Literal(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('\'');
        foreach (var c in value)
        {
            text.Append(c switch
            {
                '\\' => "\\\\",
                '\'' => "\\'",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\0' => "\\0",
                _ => c.ToString(),
            });
        }

        return text.Append('\'').ToString();
    }

    /// <summary>Reverses ClickHouse's TSV escaping of one field.</summary>
    public static string UnescapeTsv(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var text = new StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] != '\\' || i == field.Length - 1)
            {
                text.Append(field[i]);
                continue;
            }

            i++;
            text.Append(field[i] switch
            {
                't' => '\t',
                'n' => '\n',
                'r' => '\r',
                '0' => '\0',
                'b' => '\b',
                'f' => '\f',
                _ => field[i],
            });
        }

        return text.ToString();
    }
}
