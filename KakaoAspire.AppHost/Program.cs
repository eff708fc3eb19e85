using KakaoAspire.AppHost;

// Decided before the builder exists: Aspire reads the dashboard's anonymous switch and whether to run the dashboard
// at all (AppHost:Dashboard) while constructing it.
var builder = DistributedApplication.CreateBuilder(
    Orchestration.Options(DashboardAccess.SecureArgs(args, Environment.GetEnvironmentVariable, Console.Error), Environment.GetEnvironmentVariable));

var moltbot = builder.LoadMoltbotSettings();

var redis = builder.AddKakaoRedis(moltbot.RedisDataDirectory);

// Scale:Replicas (AppHost setting) runs more than one of each; whatever must outlive a replica is in Redis.
var friendtalk = builder.AddProject<Projects.KakaoAspire_FriendTalk>("friendtalk")
    .WithMoltbotConfig(moltbot)
    .WithAppHostEnvironment()
    .WithSmallGen0Budget()
    .WithReference(redis).WaitFor(redis)
    .WithHealthProbes()
    .WithScale();

// The user's OpenClaw gateway, when the config asks the AppHost to run it (moltbotGateway.run); never waited for:
// Kakao keeps working while it starts, and agent turns reach it once it is ready.
var openclaw = builder.AddOpenClawGateway(moltbot);

var router = builder.AddProject<Projects.KakaoAspire_AgentRouter>("agent-router")
    .WithMoltbotConfig(moltbot)
    .WithAppHostEnvironment()
    .WithSmallGen0Budget()
    .WithReference(redis).WaitFor(redis)
    .WithReference(friendtalk) // the agents' kakao_send tool, service to service
    .WithHealthProbes()
    .WithScale();

var webhook = builder.AddProject<Projects.KakaoAspire_Webhook>("webhook")
    .WithMoltbotConfig(moltbot)
    .WithAppHostEnvironment()
    .WithSmallGen0Budget()
    .WithReference(redis).WaitFor(redis)
    .WithReference(router).WaitFor(router)
    .WithReference(friendtalk)
    .WithHealthProbes()
    .WithScale();

// The edge is the only public endpoint: one listener per enabled account's webhookPort, on all interfaces. It stays
// one process locally (it owns fixed ports); deployed, the container platform scales it behind its own ingress.
builder.AddProject<Projects.KakaoAspire_Edge>("edge", launchProfileName: null)
    .WithMoltbotConfig(moltbot)
    .WithAppHostEnvironment()
    .WithSmallGen0Budget()
    .WithWebhookPorts(moltbot)
    .WithSkillUrls(moltbot)
    .WithReference(webhook).WaitFor(webhook)
    .WithReference(friendtalk).WaitFor(friendtalk)
    .WithHealthProbes();

var app = builder.Build();
moltbot.PrintWebhookUrls(app, openclaw.Problem);
app.Run();
