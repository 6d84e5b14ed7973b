namespace CallImport.LocalControlPlane.Kubelet;

/// <summary>The one node the local kubelet pretends to be: every pod runs on this host.</summary>
internal static class LocalNode
{
    public const string Name = "localcontrolplane";
    public const string Address = "127.0.0.1";
}
