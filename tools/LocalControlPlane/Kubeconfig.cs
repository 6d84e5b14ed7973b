namespace CallImport.LocalControlPlane;

/// <summary>A kubeconfig for the local control plane: plain HTTP, one context, a user with no credentials.</summary>
public static class Kubeconfig
{
    public static string Render(Uri server, string contextName = "local-control-plane") => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: {contextName}
          cluster:
            server: {server.GetLeftPart(UriPartial.Authority)}
        contexts:
        - name: {contextName}
          context:
            cluster: {contextName}
            user: {contextName}
            namespace: default
        current-context: {contextName}
        users:
        - name: {contextName}
          user: {"{}"}
        preferences: {"{}"}

        """;

    public static void Write(string path, Uri server)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        File.WriteAllText(path, Render(server));
    }
}
