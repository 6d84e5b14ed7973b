using System.Text.Json.Nodes;
using CallImport.ImportJobs;

namespace CallImport.Operator.Notifications;

/// <summary>One message waiting to be posted: the ImportJob it is about (for the Event on failure), where it goes, what it says.</summary>
public sealed record SlackDelivery(ImportJob ImportJob, string Transition, SlackChannel Channel, JsonObject Payload);
