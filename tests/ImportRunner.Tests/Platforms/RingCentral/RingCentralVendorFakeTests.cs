using System.Security.Cryptography;
using CallImport.ImportRunner.Platforms;
using CallImport.Testing.Fakes;
using CallImport.Testing.Fakes.RingCentral;

namespace CallImport.ImportRunner.Tests.Platforms.RingCentral;

/// <summary>The catalog's RingCentral fake against the context: its truth is what an import must end with.</summary>
public sealed class RingCentralVendorFakeTests
{
    [Fact]
    public async Task ScenarioWithBoundsAndMalformedCalls_TruthMatchesWhatTheContextImports()
    {
        var scenario = new VendorFakeScenario { Calls = 20, PageSize = 4, CallsAtBounds = true, MalformedCalls = 2, WithMediaFraction = 0.5 };
        await using var vendor = await VendorFakes.StartAsync("ringcentral", scenario);
        var fake = ((RingCentralVendorFake)vendor).Fake;
        using var rc = new RingCentralTestContext(fake, vendor.ValidCredentials);

        var listed = await rc.ListAsync(new CallQuery(scenario.From, scenario.To, new Dictionary<string, string>()));
        var imported = new Dictionary<string, string?>(StringComparer.Ordinal);
        var failed = new List<string>();
        foreach (var call in listed)
        {
            try
            {
                var source = await rc.Context.FetchCallAsync(call, CancellationToken.None);
                await using var media = await rc.Context.OpenMediaAsync(source, CancellationToken.None);
                string? sha = null;
                if (media is not null)
                {
                    using var copy = new MemoryStream();
                    await media.Content.CopyToAsync(copy);
                    sha = Convert.ToHexStringLower(SHA256.HashData(copy.ToArray()));
                }
                imported[call.SourceCallId] = sha;
            }
            catch (PermanentCallException)
            {
                failed.Add(call.SourceCallId);
            }
        }

        var inRange = vendor.Calls.Where(c => c.InRange(scenario.From, scenario.To)).ToList();
        Assert.Equal(21, inRange.Count); // 20 inside plus the one exactly at From; the one at To is out
        Assert.Equal(inRange.Where(c => c.Importable).Select(c => (c.Id, c.MediaSha256)).Order(), imported.Select(kv => (kv.Key, kv.Value)).Order());
        Assert.Equal(inRange.Where(c => c.Malformed).Select(c => c.Id).Order(StringComparer.Ordinal), failed.Order(StringComparer.Ordinal));
        Assert.Contains(vendor.Traffic.Requests, r => r.LimitGroup == "Heavy");
        Assert.Equal(fake.Traffic.TotalRequests, vendor.Traffic.Count);
    }

    [Fact]
    public async Task RefusedCredentials_AreRefused()
    {
        await using var vendor = await VendorFakes.StartAsync("ringcentral", new VendorFakeScenario());
        using var rc = new RingCentralTestContext(((RingCentralVendorFake)vendor).Fake, vendor.RefusedCredentials);

        await Assert.ThrowsAsync<CredentialsRejectedException>(() => rc.Context.ValidateCredentialsAsync(CancellationToken.None));
    }
}
