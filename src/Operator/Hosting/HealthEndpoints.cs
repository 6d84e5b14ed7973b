using CallImport.Operator.Controller;
using Microsoft.AspNetCore.Http;

namespace CallImport.Operator.Hosting;

/// <summary>/healthz (liveness: the watches still hear from the API server) and /readyz (caches synced and the lead known).</summary>
internal static class HealthEndpoints
{
    public static IResult Healthz(Leadership leadership, ControllerState state, OperatorSettings settings)
    {
        if (leadership.HasLost)
            return Results.Text("lost the lead", statusCode: StatusCodes.Status503ServiceUnavailable);
        if (leadership.IsLeader && state.CachesSynced && state.LastWatchContact is { } contact
            // The real clock, as the watches use: their silence is about the connection, not the imports.
            && TimeProvider.System.GetUtcNow() - contact > settings.WatchSilenceLimit)
            return Results.Text($"watches silent since {contact:O}", statusCode: StatusCodes.Status503ServiceUnavailable);
        return Results.Text("ok");
    }

    public static IResult Readyz(Leadership leadership, ControllerState state)
    {
        if (leadership.IsLeader)
            return state.CachesSynced ? Results.Text("leader; caches synced") : Results.Text("leader; syncing caches", statusCode: StatusCodes.Status503ServiceUnavailable);
        return leadership.Leader is { } leader
            ? Results.Text($"standby; the leader is {leader}")
            : Results.Text("leader unknown", statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
