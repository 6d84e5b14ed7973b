namespace CallImport.LocalControlPlane.Tables;

/// <summary>One Table column: the definition kubectl prints, and how to compute a cell.</summary>
public sealed record TableColumn(string Name, string Type, string Format, string Description, int Priority, Func<System.Text.Json.Nodes.JsonObject, DateTimeOffset, System.Text.Json.Nodes.JsonNode?> Cell);
