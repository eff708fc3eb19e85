var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddEdgeServices();
// Kakao's requests all go to the webhook: the edge is not ready while it is away.
builder.AddDownstreamHealthCheck("webhook");

var app = builder.Build();

app.UseBodySizeLimit();
app.UseAccountRouting();
app.UseRouting();
app.UseRateLimiter();

app.MapDefaultEndpoints();
app.MapReverseProxy();

app.Run();
