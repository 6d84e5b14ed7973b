using System.Text.Json.Nodes;

namespace CallImport.LocalControlPlane.Storage;

/// <summary>One committed write. Previous is the state before a MODIFIED, for selector enter/leave.</summary>
public sealed record WatchEvent(long ResourceVersion, string StorageKey, string Type, JsonObject Item, JsonObject? Previous);
