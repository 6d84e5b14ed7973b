namespace CallImport.ImportRunner.Limits;

/// <summary>
/// The connections every platform's requests go out on: pooled, renewed every few minutes (DNS changes), and each
/// request checked against its slot as it is written (<see cref="RequestDeparture"/>).
/// </summary>
public static class VendorTransport
{
    public static SocketsHttpHandler Create() => new()
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        PlaintextStreamFilter = static (context, _) => ValueTask.FromResult<Stream>(new DepartureCheckedStream(context.PlaintextStream)),
    };
}
