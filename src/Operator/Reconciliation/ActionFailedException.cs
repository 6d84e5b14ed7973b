using System.Text.Json;
using k8s.Autorest;

namespace CallImport.Operator.Reconciliation;

/// <summary>An action of the plan failed; <see cref="Reason"/> is the API server's (or store's) own message, fit for status.</summary>
internal sealed class ActionFailedException(ReconcileAction action, Exception inner)
    : Exception($"{Describe(action)} failed: {ReasonOf(inner)}", inner)
{
    public ReconcileAction Action { get; } = action;

    public string Reason { get; } = ReasonOf(inner);

    public static string Describe(ReconcileAction action) => action switch
    {
        ReconcileAction.CreateRunnerJob c => $"Creating runner Job '{c.JobName}'",
        ReconcileAction.DeleteRunnerJob d => $"Deleting runner Job '{d.JobName}'",
        ReconcileAction.ResetRetryableFailures => "Resetting the failed calls in the store",
        ReconcileAction.DeleteCredentialsSecret s => $"Deleting Secret '{s.SecretName}'",
        ReconcileAction.AddFinalizer => "Adding the finalizer",
        ReconcileAction.RemoveFinalizer => "Removing the finalizer",
        _ => action.GetType().Name,
    };

    /// <summary>An API error's Status message with its code (e.g. a 422 naming the invalid field), else the exception's message.</summary>
    private static string ReasonOf(Exception e)
    {
        if (e is HttpOperationException { Response: { } response })
        {
            try
            {
                using var status = JsonDocument.Parse(response.Content ?? "");
                if (status.RootElement.TryGetProperty("message", out var message) && message.GetString() is { Length: > 0 } text)
                    return $"{(int)response.StatusCode} {text}";
            }
            catch (JsonException)
            {
            }
            return $"{(int)response.StatusCode} {response.ReasonPhrase}";
        }
        return e.Message;
    }
}
