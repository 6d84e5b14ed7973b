
namespace CallImport.Testing.Postgres;

/// <summary>
/// <c>postgres</c>: a throw-away PostgreSQL server (as the tests start it) in the foreground until Ctrl-C/SIGTERM,
/// for <c>make demo</c>. Prints its connection string; its data directory is deleted when it stops.
/// </summary>
public static class PostgresCommand
{
    public const string Usage = "postgres   (prints \"connection string: …\", runs until Ctrl-C; data is deleted on stop)";

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length > 0)
        {
            await Console.Error.WriteLineAsync($"postgres takes no options.\nUsage: {Usage}");
            return 2;
        }
        using var stop = new StopSignal();

        await using var server = await PostgresServer.StartAsync();
        Console.WriteLine($"PostgreSQL ({server.Description})");
        Console.WriteLine($"connection string: {server.AdminConnectionString}");
        await stop.Stopped;
        Console.WriteLine("stopping PostgreSQL");
        return 0;
    }
}
