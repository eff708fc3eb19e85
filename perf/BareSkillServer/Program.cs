using KakaoAspire.Kakao.Skill;

// Baseline 1 of the load test: one Kestrel endpoint that reads the same SkillPayload with KakaoAspire.Kakao and
// answers with the same SkillResponse the built-in agent gives, with no Redis, no hops, no telemetry.
// Loopback only: dotnet perf/BareSkillServer/bin/Release/net10.0/BareSkillServer.dll --urls http://127.0.0.1:8790
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();

app.MapPost("/kakao/webhook", async (HttpRequest request, CancellationToken cancellationToken) =>
{
    var read = await SkillJson.ParsePayloadAsync(request.Body, cancellationToken);
    if (!read.Success)
    {
        return Results.Problem(detail: read.Error, statusCode: StatusCodes.Status400BadRequest);
    }
    var utterance = read.Payload.Utterance!.Trim();
    var text = $"받은 메시지: \"{utterance}\"\n(기본 에이전트가 답했어요. 이 대화에서 이전 메시지 0개를 기억하고 있어요. /help 로 명령을 볼 수 있어요.)";
    return Results.File(SkillJson.SerializeToUtf8Bytes(SkillResponse.Text(text)), "application/json; charset=utf-8");
});
app.MapGet("/health", () => "Healthy");

app.Run();
