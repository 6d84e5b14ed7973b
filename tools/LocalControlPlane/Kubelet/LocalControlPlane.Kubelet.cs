using CallImport.LocalControlPlane.Kubelet;

namespace CallImport.LocalControlPlane;

public sealed partial class LocalControlPlane
{
    // RunKubelet adds a kubelet configured from the environment, unless the caller already passed one in Components.
    static partial void AddHostedComponents(LocalControlPlaneOptions options, List<IControlPlaneComponent> components)
    {
        if (options.RunKubelet && !components.OfType<KubeletComponent>().Any())
        {
            components.Add(new KubeletComponent(KubeletOptions.FromEnvironment()));
        }
    }
}
