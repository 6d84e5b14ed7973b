using System.Globalization;

namespace CallImport.LocalControlPlane.Kubelet;

/// <summary>Kubernetes <c>Time</c> on the wire: RFC 3339, seconds precision, UTC.</summary>
internal static class KubeTime
{
    public static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
