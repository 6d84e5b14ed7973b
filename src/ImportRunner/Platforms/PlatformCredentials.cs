using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace CallImport.ImportRunner.Platforms;

/// <summary>
/// A platform's credentials: the keys of its Kubernetes Secret (or the command line's credentials file).
/// Never printed: <see cref="ToString"/> names only the keys, and no value reaches a log or an exception.
/// </summary>
public sealed class PlatformCredentials
{
    public const string BaseUrlKey = "baseUrl";
    private readonly Dictionary<string, string> _values;

    public PlatformCredentials(IReadOnlyDictionary<string, string> values) =>
        _values = new Dictionary<string, string>(values, StringComparer.Ordinal);

    public IEnumerable<string> Keys => _values.Keys;

    /// <summary>The value of <paramref name="key"/>, or a <see cref="CredentialsRejectedException"/> naming the missing key.</summary>
    public string Require(string key) =>
        _values.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value)
            ? value
            : throw new CredentialsRejectedException($"The credentials have no '{key}' key. Add it to the Secret (or credentials file).");

    /// <summary>
    /// Throws a <see cref="CredentialsRejectedException"/> naming the first missing required key (and what would do
    /// instead), unless every required key has a value or one alternative set is complete.
    /// </summary>
    public void RequireKeys(IReadOnlyList<string> required, IReadOnlyList<IReadOnlyList<string>> alternatives)
    {
        var present = _values.Where(kv => !string.IsNullOrWhiteSpace(kv.Value)).Select(kv => kv.Key).ToList();
        if (CallImport.ImportJobs.ImportPlatforms.MissingKeys(required, alternatives, present) is not [var missing, ..]) return;
        var instead = alternatives.Count == 0 ? "" : $" (or, instead, {CallImport.ImportJobs.ImportPlatforms.DescribeAlternatives(alternatives, present)})";
        throw new CredentialsRejectedException($"The credentials have no '{missing}' key{instead}. Add it to the Secret (or credentials file).");
    }

    public string? Optional(string key) => _values.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

    /// <summary>The API host: the <c>baseUrl</c> key when given (tenant hosts, sandboxes, tests), else the vendor's.</summary>
    public Uri BaseUrl(string vendorDefault)
    {
        var raw = Optional(BaseUrlKey) ?? vendorDefault;
        if (!Uri.TryCreate(raw.EndsWith('/') ? raw : raw + "/", UriKind.Absolute, out var uri))
            throw new CredentialsRejectedException($"The credentials' '{BaseUrlKey}' is not an absolute URL.");
        return uri;
    }

    /// <summary>A stable, irreversible id of these credentials: keys the daily request count per credential.</summary>
    public string Fingerprint()
    {
        var canonical = string.Join('\n', _values.Where(kv => kv.Key != BaseUrlKey).OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + "=" + kv.Value));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))[..16];
    }

    /// <summary>Reads a JSON object of string values (the credentials file).</summary>
    public static PlatformCredentials FromJsonFile(string path)
    {
        Dictionary<string, string>? values;
        try
        {
            values = JsonSerializer.Deserialize(File.ReadAllText(path), CredentialsJson.Default.DictionaryStringString);
        }
        catch (JsonException)
        {
            // The parser's message can quote the file's content: keep it out.
            throw new CredentialsRejectedException($"The credentials file '{path}' is not a JSON object of string values.");
        }
        return new PlatformCredentials(values ?? []);
    }

    /// <summary>Reads a mounted Secret: one file per key.</summary>
    public static PlatformCredentials FromDirectory(string path) =>
        new(Directory.EnumerateFiles(path)
            .Where(f => !Path.GetFileName(f).StartsWith("..", StringComparison.Ordinal))
            .ToDictionary(f => Path.GetFileName(f), f => File.ReadAllText(f).TrimEnd('\n', '\r'), StringComparer.Ordinal));

    public override string ToString() => $"credentials with keys [{string.Join(", ", _values.Keys.Order(StringComparer.Ordinal))}]";
}
