using CallImport.Store;
using Npgsql;

namespace CallImport.ImportRunner.Cli;

/// <summary>
/// The runner's connection to the store. The connection string is checked before anything is opened (a typo
/// gets one line naming the option, never the string, which holds a password), tuned for many short
/// statements, and the schema's version is read — runners never migrate: the operator does, or
/// <c>ImportRunner migrate</c> with a role that may create tables.
/// </summary>
public static class RunnerDatabase
{
    /// <summary>Thrown with a message for a person: what is wrong and what to do.</summary>
    public sealed class UnusableException(string message) : Exception(message);

    /// <summary>Parses and tunes the connection string; throws <see cref="UnusableException"/> when it does not parse.</summary>
    public static NpgsqlDataSource Open(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            throw new UnusableException(
                $"--database (or ${ImportArguments.DatabaseVariable}) is not a valid Npgsql connection string: {Describe(e)}. " +
                "Use keys like Host=db.example;Port=5432;Username=callimport_runner;Password=…;Database=callimport.");
        }
        // Every call runs the same few statements: prepare them once per connection, and skip the DISCARD ALL
        // that a pooled connection otherwise sends on each return (the runner leaves no session state behind).
        if (!connectionString.Contains("Max Auto Prepare", StringComparison.OrdinalIgnoreCase)) builder.MaxAutoPrepare = 32;
        if (!connectionString.Contains("No Reset On Close", StringComparison.OrdinalIgnoreCase)) builder.NoResetOnClose = true;
        // One session for the whole run: its statements are short and never nested, and a second session costs
        // PostgreSQL a backend, its catalogue caches and every statement prepared again (~10 ms of CPU a run,
        // measured), more than waiting a commit's milliseconds when the listing or a page read overlaps one.
        if (!System.Text.RegularExpressions.Regex.IsMatch(connectionString, @"Max(imum)?\s*Pool\s*Size", System.Text.RegularExpressions.RegexOptions.IgnoreCase)) builder.MaxPoolSize = 1;
        // Prepared statements with a generic plan: planned once per connection, not again for each of the
        // first executions and whenever PostgreSQL prefers a custom plan. Every runner query filters on keys
        // (the pending-calls index is partial), where the generic plan is the right one.
        if (!(builder.Options ?? "").Contains("plan_cache_mode", StringComparison.Ordinal))
            builder.Options = ((builder.Options ?? "") + " -c plan_cache_mode=force_generic_plan").Trim();
        var dataSource = new NpgsqlDataSourceBuilder(builder.ConnectionString) { Name = "callimport" };
        // The runner's statements use only PostgreSQL's built-in types, which Npgsql knows without asking: skip
        // reading the server's whole type catalogue (hundreds of rows) on the first connection of every start.
        dataSource.ConfigureTypeLoading(types => types.EnableTypeLoading(false));
        return dataSource.Build();
    }

    /// <summary>Where the database is, for messages: host, port and database, never the credentials.</summary>
    public static string Where(string connectionString)
    {
        try
        {
            var b = new NpgsqlConnectionStringBuilder(connectionString);
            return $"{b.Host}:{b.Port}/{b.Database}";
        }
        catch (ArgumentException) { return "(unparsable)"; }
    }

    /// <summary>Fails unless the database holds the schema version this runner needs (or a newer, compatible one).</summary>
    public static async Task CheckSchemaAsync(NpgsqlDataSource dataSource, string where, CancellationToken cancellationToken)
    {
        var version = await SchemaMigrations.CurrentVersionAsync(dataSource, cancellationToken);
        if (version >= SchemaMigrations.LatestVersion) return;
        var state = version == 0 ? "has no CallImport schema" : $"has schema version {version}, older than the {SchemaMigrations.LatestVersion} this runner needs";
        throw new UnusableException(
            $"The database at {where} {state}. Runners do not migrate: the operator applies migrations at start, or run " +
            $"`ImportRunner migrate --database \"…\"` once with the schema owner's role, then start the import again.");
    }

    /// <summary>The exception's message without any echo of the connection string's values.</summary>
    private static string Describe(Exception e) =>
        e.Message.Split('\n')[0].Replace(" (Parameter 'value')", "", StringComparison.Ordinal).Replace(" (Parameter 'keyword')", "", StringComparison.Ordinal);
}
