var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
var config = builder.AddEdgeServices();
// Kakao's requests all go to the webhook: the edge is not ready while it is away.
builder.AddDownstreamHealthCheck("webhook");

var app = builder.Build();

// First the client address (trusted proxies only), then every check that depends on who is calling.
app.UseTrustedProxies(config.Kakao);
app.UseBodySizeLimit();
app.UseDevelopmentRoutesForLocalCallersOnly(app.Environment);
app.UseAccountRouting();
app.UseRouting();
app.UseApiRateLimit();

app.MapDefaultEndpoints();
app.MapReverseProxy();

app.Run();
