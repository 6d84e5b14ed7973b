using System.Text.Json;
using System.Text.Json.Nodes;

namespace CallImport.LocalControlPlane.Storage;

/// <summary>Keeps the store in a JSON file so a restarted control plane has its objects back.</summary>
public sealed class StateFile(string path)
{
    public void Save(ObjectStore store)
    {
        JsonObject document;
        lock (store.Gate)
        {
            var items = new JsonArray();
            foreach (var (key, obj) in store.All())
            {
                items.Add(new JsonObject { ["storage"] = key, ["object"] = obj.DeepClone() });
            }
            document = new JsonObject { ["resourceVersion"] = store.CurrentVersion, ["objects"] = items };
        }
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, document.ToJsonString());
        File.Move(temporary, path, overwrite: true);
    }

    public bool TryLoad(ObjectStore store)
    {
        if (!File.Exists(path))
        {
            return false;
        }
        var document = JsonNode.Parse(File.ReadAllText(path))?.AsObject()
            ?? throw new JsonException($"state file {path} is empty");
        var version = document["resourceVersion"]?.GetValue<long>() ?? 1;
        var items = (document["objects"]?.AsArray() ?? [])
            .Select(i => ((string)i!["storage"]!, i["object"]!.DeepClone().AsObject()));
        store.Restore(version, items);
        return true;
    }
}
