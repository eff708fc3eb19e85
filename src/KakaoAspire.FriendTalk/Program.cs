var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapMessagesApi();
app.MapQueueApi();
if (app.Environment.IsDevelopment())
{
    // The webhook's local simulator shows what was sent; a key scan that has no place in production.
    app.MapOutboxApi();
}

app.Run();
