using CallImport.ImportRunner.Platforms;
using CallImport.Testing.Fakes.Gong;

namespace CallImport.ImportRunner.Tests.Platforms.Gong;

public sealed class GongContextFailureTests
{
    [Fact]
    public async Task MalformedCall_FailsAlonePermanently_TheRestOfItsBatchImports()
    {
        await using var gong = await GongFake.StartAsync(new GongFakeOptions { CallCount = 30, PrivateFraction = 0 });
        using var sut = new GongTestContext(gong);
        var listed = await sut.ListAsync(GongTestContext.AllOfJanuary());
        var broken = listed[7].SourceCallId;
        gong.Faults.MalformedCalls(broken);

        var error = await Assert.ThrowsAsync<PermanentCallException>(() => sut.FetchAsync(listed[7]));
        var others = await Task.WhenAll(listed.Where(c => c.SourceCallId != broken).Select(sut.FetchAsync));

        Assert.Contains("malformed payload", error.Message, StringComparison.Ordinal);
        Assert.Contains(broken, error.Message, StringComparison.Ordinal);
        Assert.Equal(29, others.Length);
        Assert.Equal(1, gong.Traffic.RequestsTo(GongFakeEndpoint.Extensive));
    }

    [Fact]
    public async Task CallDeletedAfterTheListing_FailsPermanentlySayingSo()
    {
        await using var gong = await GongFake.StartAsync(new GongFakeOptions { CallCount = 10, PrivateFraction = 0 });
        using var sut = new GongTestContext(gong);
        var listed = await sut.ListAsync(GongTestContext.AllOfJanuary());
        gong.Faults.DeletedCalls(listed[2].SourceCallId);

        var error = await Assert.ThrowsAsync<PermanentCallException>(() => sut.FetchAsync(listed[2]));

        Assert.Contains("returned no details", error.Message, StringComparison.Ordinal);
        Assert.NotNull(await sut.FetchAsync(listed[3]));
    }

    [Fact]
    public async Task BatchRequestFails_EveryCallOfItFailsTransiently_AndTheNextAttemptAsksAgain()
    {
        await using var gong = await GongFake.StartAsync(new GongFakeOptions { CallCount = 10, PrivateFraction = 0 });
        using var sut = new GongTestContext(gong);
        var listed = await sut.ListAsync(GongTestContext.AllOfJanuary());
        gong.Faults.FailNext(1, 500);

        await Assert.ThrowsAsync<TransientCallException>(() => sut.FetchAsync(listed[0]));
        var call = await sut.FetchAsync(listed[0]);
        await sut.FetchAsync(listed[1]);

        Assert.Equal(listed[0].SourceCallId, call.SourceCallId);
        Assert.Equal(2, gong.Traffic.RequestsTo(GongFakeEndpoint.Extensive));
    }

    [Fact]
    public async Task ValidateCredentials_EmptyAccount_Passes()
    {
        await using var gong = await GongFake.StartAsync(new GongFakeOptions { CallCount = 0 });
        using var sut = new GongTestContext(gong);

        await sut.Context.ValidateCredentialsAsync(CancellationToken.None);

        Assert.Equal(1, gong.Traffic.Faults(GongFakeFault.NoCallsFound));
    }

    [Fact]
    public async Task ValidateCredentials_WrongSecret_RefusedWithoutPrintingIt()
    {
        await using var gong = await GongFake.StartAsync();
        var credentials = new Dictionary<string, string>(gong.Credentials) { ["accessKeySecret"] = "wrong-secret-81f2c" };
        using var sut = new GongTestContext(gong, credentials);

        var error = await Assert.ThrowsAsync<CredentialsRejectedException>(() => sut.Context.ValidateCredentialsAsync(CancellationToken.None));

        Assert.Contains("HTTP 401", error.Message, StringComparison.Ordinal);
        Assert.Contains("baseUrl", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-secret-81f2c", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(gong.AccessKey, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateCredentials_BaseUrlNotAGongHost_SaysToFixBaseUrl()
    {
        await using var gong = await GongFake.StartAsync();
        var credentials = new Dictionary<string, string>(gong.Credentials) { ["baseUrl"] = gong.BaseUrl + "somewhere/else/" };
        using var sut = new GongTestContext(gong, credentials);

        var error = await Assert.ThrowsAsync<CredentialsRejectedException>(() => sut.Context.ValidateCredentialsAsync(CancellationToken.None));

        Assert.Contains("HTTP 404", error.Message, StringComparison.Ordinal);
        Assert.Contains("'baseUrl'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListingFails_ServerError_IsTransient()
    {
        await using var gong = await GongFake.StartAsync();
        using var sut = new GongTestContext(gong);
        gong.Faults.FailNext(1, 503);

        await Assert.ThrowsAsync<TransientCallException>(() => sut.ListAsync(GongTestContext.AllOfJanuary()));
    }
}
