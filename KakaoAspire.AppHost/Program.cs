var builder = DistributedApplication.CreateBuilder(args);

var moltbot = builder.LoadMoltbotSettings();

var redis = builder.AddKakaoRedis(moltbot.RedisDataDirectory);

// Scale:Replicas (AppHost setting) runs more than one of each; whatever must outlive a replica is in Redis.
var friendtalk = builder.AddProject<Projects.KakaoAspire_FriendTalk>("friendtalk")
    .WithMoltbotConfig(moltbot)
    .WithReference(redis).WaitFor(redis)
    .WithHealthProbes()
    .WithScale();

var router = builder.AddProject<Projects.KakaoAspire_AgentRouter>("agent-router")
    .WithMoltbotConfig(moltbot)
    .WithReference(redis).WaitFor(redis)
    .WithReference(friendtalk) // the agents' kakao_send tool, service to service
    .WithHealthProbes()
    .WithScale();

var webhook = builder.AddProject<Projects.KakaoAspire_Webhook>("webhook")
    .WithMoltbotConfig(moltbot)
    .WithReference(redis).WaitFor(redis)
    .WithReference(router).WaitFor(router)
    .WithReference(friendtalk)
    .WithHealthProbes()
    .WithScale();

// The edge is the only public endpoint: one listener per enabled account's webhookPort, on all interfaces. It stays
// one process locally (it owns fixed ports); deployed, the container platform scales it behind its own ingress.
builder.AddProject<Projects.KakaoAspire_Edge>("edge", launchProfileName: null)
    .WithMoltbotConfig(moltbot)
    .WithWebhookPorts(moltbot)
    .WithReference(webhook).WaitFor(webhook)
    .WithReference(friendtalk).WaitFor(friendtalk)
    .WithHealthProbes();

var app = builder.Build();
moltbot.PrintWebhookUrls(app);
app.Run();
