using CallImport.Operator.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace CallImport.Operator.Tests.Hosting;

public sealed class OperatorHostTests
{
    [Fact]
    public async Task Start_WithInvalidSettings_FailsBeforeDoingAnything_NamingEachSetting()
    {
        await using var app = OperatorHost.Build([], builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Operator:HttpPort"] = "0",
            ["Operator:MaxConcurrentRuns"] = "0",
            ["Operator:LogLevel"] = "Warning",
        }));

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("Operator__DatabaseConnectionString: required", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Operator__MaxConcurrentRuns: at least 1.", refused.Message, StringComparison.Ordinal);
    }
}
