using CallImport.Operator.Hosting;
using Microsoft.Extensions.DependencyInjection;

// The CallImport operator. Settings: section "Operator" (appsettings.json, or environment Operator__X); see the README.
if (args is [ReleaseCheck.Command, ..])
    return await ReleaseCheck.RunAsync(args[1..], Console.Out);
var app = OperatorHost.Build(args);
var leadership = app.Services.GetRequiredService<Leadership>();
await app.RunAsync();
// A replica that lost the lead exits non-zero, so that Kubernetes restarts it as a follower.
return leadership.HasLost ? 1 : 0;
