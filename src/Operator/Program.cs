// The operator host; the controller arrives with the operator issue.
var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet("/healthz", () => "ok");
await app.RunAsync();
