var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
app.LogWebhookSecurity();

app.MapDefaultEndpoints();
app.MapSkillApi();
app.MapPairingApi();
app.MapStatusApi();
if (app.Environment.IsDevelopment())
{
    // The local Kakao test panel and its loopback callback receiver exist only on a developer's machine, for callers on it.
    app.MapSimulatorApi();
}

await app.WarmUpReplyPathAsync();
app.Run();
