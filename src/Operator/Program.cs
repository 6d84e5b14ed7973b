using CallImport.Operator.Hosting;
using Microsoft.Extensions.DependencyInjection;

// The CallImport operator. Settings: section "Operator" (appsettings.json, or environment Operator__X); see the README.
var app = OperatorHost.Build(args);
await app.RunAsync();
// A replica that lost the lead exits non-zero, so that Kubernetes restarts it as a follower.
return app.Services.GetRequiredService<Leadership>().HasLost ? 1 : 0;
