namespace CallImport.LocalControlPlane;

/// <summary>
/// Something that runs beside the API server and talks to it over HTTP like any client (the kubelet).
/// Started after the server listens, disposed before it stops.
/// </summary>
public interface IControlPlaneComponent : IAsyncDisposable
{
    Task StartAsync(LocalControlPlane plane, CancellationToken cancellationToken);
}
