using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CallImport.Testing.Fakes.Gcs;

namespace CallImport.ImportRunner.Tests.Storage;

/// <summary>The fake's own wire behaviour where the .NET client does not exercise it (Range reads, errors, buckets).</summary>
public sealed class GcsFakeTests : IAsyncLifetime
{
    private readonly HttpClient _http = new();
    private GcsFake _gcs = null!;

    public async Task InitializeAsync() => _gcs = await GcsFake.StartAsync(createBucketsOnDemand: false);

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _gcs.DisposeAsync();
    }

    [Fact]
    public async Task Download_WithRangeHeader_Returns206AndTheSlice()
    {
        _gcs.CreateBucket("b");
        _gcs.PutObject("b", "dir/file.bin", [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{_gcs.Endpoint.Replace("/storage/v1/", "/download/storage/v1/", StringComparison.Ordinal)}b/b/o/dir%2Ffile.bin?alt=media");
        request.Headers.Range = new RangeHeaderValue(2, 5);

        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal("bytes 2-5/10", response.Content.Headers.ContentRange?.ToString());
        Assert.Equal([2, 3, 4, 5], await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task GetMetadata_MissingObject_Answers404InTheJsonApiErrorShape()
    {
        _gcs.CreateBucket("b");

        using var response = await _http.GetAsync($"{_gcs.Endpoint}b/b/o/missing%2Fobject");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(404, body.RootElement.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal("notFound", body.RootElement.GetProperty("error").GetProperty("errors")[0].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task GetMetadata_ExistingObject_ReportsSizeAsStringAndKnownCrc32c()
    {
        _gcs.CreateBucket("b");
        _gcs.PutObject("b", "check", "123456789"u8.ToArray());

        using var body = JsonDocument.Parse(await _http.GetStringAsync($"{_gcs.Endpoint}b/b/o/check"));

        Assert.Equal("storage#object", body.RootElement.GetProperty("kind").GetString());
        Assert.Equal("9", body.RootElement.GetProperty("size").GetString());
        // The CRC-32C check value of "123456789" is 0xE3069283.
        Assert.Equal(Convert.ToBase64String([0xE3, 0x06, 0x92, 0x83]), body.RootElement.GetProperty("crc32c").GetString());
    }

    [Fact]
    public async Task List_UnknownBucketWhenBucketsAreNotCreatedOnDemand_Answers404()
    {
        using var response = await _http.GetAsync($"{_gcs.Endpoint}b/nope/o");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
