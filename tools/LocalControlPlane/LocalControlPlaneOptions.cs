using CallImport.LocalControlPlane.Resources;

namespace CallImport.LocalControlPlane;

/// <summary>How to start a <see cref="LocalControlPlane"/>.</summary>
public sealed class LocalControlPlaneOptions
{
    /// <summary>Port on 127.0.0.1; 0 picks a free one (read it from <see cref="LocalControlPlane.Url"/>).</summary>
    public int Port { get; init; }

    /// <summary>JSON file that keeps all objects across restarts; null keeps them in memory only.</summary>
    public string? StatePath { get; init; }

    /// <summary>How many writes a watch can resume from; older versions get 410 Expired.</summary>
    public int WatchHistorySize { get; init; } = 1000;

    /// <summary>Runs the Job controller and kubelet (Jobs' pods as real processes) when that component is built in.</summary>
    public bool RunKubelet { get; init; }

    /// <summary>Custom resource validation; null takes the built-in one (schema validation when present, else admit all).</summary>
    public ICustomResourceAdmission? Admission { get; init; }

    /// <summary>Extra components started once the server listens, stopped before it.</summary>
    public IList<IControlPlaneComponent> Components { get; init; } = [];

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Log ASP.NET Core's own messages (off by default: tests and the console stay quiet).</summary>
    public bool VerboseLogging { get; init; }

    /// <summary>Called for every HTTP request before it is served (benchmarks count a client's requests with it).</summary>
    public Action<Microsoft.AspNetCore.Http.HttpRequest>? RequestObserved { get; init; }
}
