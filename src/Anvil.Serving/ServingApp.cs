using Anvil.Dashboard;
using Anvil.Registry;
using Anvil.Registry.Versions;
using Anvil.Serving.Api;
using Anvil.Serving.Inference;
using Anvil.Serving.Metering;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.OpenApi;

namespace Anvil.Serving;

/// <summary>
/// The prediction API as one ASP.NET Core application: the /v1 routes, API-key authentication,
/// the model router with its batchers, the group-committing usage writer, and the dashboard under /ui.
/// </summary>
public static class ServingApp
{
    public const string OpenApiPath = "/openapi/v1.json";

    public static WebApplication Build(ServingOptions options, RegistryDatabase database, ManifestSigner verifier, TimeProvider time)
    {
        options.Batching.Validate();
        // No appsettings.json reload: its watcher put inotify on every directory under the working directory,
        // ANVIL_HOME's registry.db-wal included, and woke a thread for each of the ledger's writes.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        builder.WebHost.UseUrls(MetricsEndpoint.Listeners(options));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxBodyBytes + (1 << 20); // RequestBody enforces the exact limit; Kestrel counts chunked bodies loosely and refused one of exactly the limit
            kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            kestrel.Limits.MinRequestBodyDataRate = new(options.MinUploadBytesPerSecond, TimeSpan.FromSeconds(5));
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Anvil", LogLevel.Information);
        // A start-up failure (e.g. the port is in use) is rethrown to the caller, which says what to fix in one
        // line; the host's own log of it would repeat it with a stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);

        var services = builder.Services;
        services.Configure<JsonOptions>(json => ApiJson.Configure(json.SerializerOptions));
        services.AddProblemDetails();
        services.AddOpenApi(openApi => openApi.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new() { Title = "Anvil prediction API", Version = "v1", Description = "Predictions, models, feedback and usage for one organization's API key. Every operation may answer 500 (problem+json) when the server fails unexpectedly; a request to a /v1 path with a method it does not take (HEAD, OPTIONS, PUT, …) gets 405 with an Allow header naming the methods it takes, so no operation lists 405." };
            document.Servers = []; // clients call whatever address they reached the server at
            document.Components ??= new();
            document.Components.SecuritySchemes = new Dictionary<string, Microsoft.OpenApi.IOpenApiSecurityScheme>
            {
                ["api_key"] = new Microsoft.OpenApi.OpenApiSecurityScheme
                {
                    Type = Microsoft.OpenApi.SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "An Anvil API key (anvil_<id>_<secret>) from ./anvil keys create, as 'Authorization: Bearer <key>' (or an X-Api-Key header).",
                },
            };
            document.Security = [new() { [new Microsoft.OpenApi.OpenApiSecuritySchemeReference("api_key", document)] = [] }];
            return Task.CompletedTask;
        }));
        services.AddSingleton(options);
        services.AddSingleton(time);
        services.AddSingleton(database);
        services.AddSingleton(verifier);
        services.AddSingleton(new ApiKeys(database, time));
        services.AddSingleton(new ModelCatalog(database, time));
        services.AddSingleton(new UsageLedger(database, time, options.IdempotencyWindow));
        services.AddSingleton(new FeedbackStore(database, time));
        services.AddSingleton(new FeedbackLimiter(database, time));
        services.AddSingleton(new FeedbackPages(database));
        services.AddSingleton<ModelRouter>();
        services.AddHostedService(s => s.GetRequiredService<ModelRouter>());
        services.AddSingleton<Admission>();
        services.AddSingleton(new Anvil.Serving.Inputs.DecodeGate(options.DecodeSlots, options.DecodeWait));
        services.AddSingleton<UsageWriter>();
        services.AddHostedService(s => s.GetRequiredService<UsageWriter>());
        services.AddDashboard(database, time, options.Home);

        var app = builder.Build();
        app.UseExceptionHandler(errors => errors.Run(context =>
        {
            var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
            if (error is System.Data.Common.DbException) // logged by the handler with its cause; the client learns to retry, not the database's message
            {
                context.Response.Headers.RetryAfter = "5";
                return Problems.WriteAsync(context, 503, Problems.DatabaseUnavailable);
            }

            return error is Microsoft.AspNetCore.Http.BadHttpRequestException bad
                ? Problems.WriteAsync(context, bad.StatusCode, bad.StatusCode == 413 ? $"The body is larger than the limit of {options.MaxBodyBytes:N0} bytes." : "The request is malformed.")
                : Problems.WriteAsync(context, 500, Problems.ServerFailed);
        }));
        app.Use(MetricsEndpoint.OnlyMetricsOnItsListener);
        app.UseRouting();
        app.UseMiddleware<ApiKeyMiddleware>();
        app.MapOpenApi(OpenApiPath);
        app.MapGet("/healthz", () => Results.Text("ok")).ExcludeFromDescription();
        app.MapGet("/metrics", MetricsEndpoint.Handle).ExcludeFromDescription();
        MapV1(app);
        app.MapDashboard();
        return app;
    }

    private static void MapV1(WebApplication app)
    {
        var v1 = app.MapGroup("/v1").ProducesProblem(401).ProducesProblem(500).ProducesProblem(503); // the exception handler's answers, on every route
        var developer = new RequiredRole(Role.Developer);
        var viewer = new RequiredRole(Role.Viewer);

        v1.MapPost("/models/{name}/predict", PredictEndpoint.HandleAsync)
            .WithName("Predict")
            .WithSummary("Predict the class of one or more inputs, or forecast from series windows")
            .WithDescription("JSON {\"inputs\": [...]} shaped as the signature, or PNG/JPEG images (raw body or multipart). A text model (input_kind \"tokens\") takes {\"inputs\": [\"text\", ...]} and says per text whether it was truncated; a forecaster (input_kind \"series\", output_kind \"values\") takes windows of exactly preprocessing.sequence_length steps and answers a forecast per window. One input is one billed prediction. ?alias= or ?version= pick the version; the default is the 'champion' alias. An Idempotency-Key header makes retries safe: the same key returns the same predictions and is billed once.")
            .WithMetadata(developer)
            .DocumentBody<PredictRequest>("image/png", "image/jpeg", "multipart/form-data")
            .DocumentSelectorsAndIdempotency()
            .Produces<PredictResponse>(200)
            .ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(413)
            .ProducesProblem(415).ProducesProblem(422).ProducesProblem(429).ProducesProblem(503)
            .DocumentExamples(ApiExamples.Predict);
        v1.MapPost("/models/{name}/generate", Generation.GenerateEndpoint.HandleAsync)
            .WithName("Generate")
            .WithSummary("Generate images with a generator model (e.g. a DCGAN)")
            .WithDescription("JSON {\"count\": n, \"seed\": s} → {\"images\": [{\"id\", \"width\", \"height\", \"png_base64\"}], \"seed\"}: PNGs, base64-encoded in JSON. The server draws the noise from the seed, so the same seed and count give the same images from the same version; without a seed it picks one and returns it. Only models with output_kind \"image\" are served here (others: 400). count is 1 to the plan's inputs per request (more: 413); each image is one billed prediction. ?alias= or ?version= and Idempotency-Key work as for predict.")
            .WithMetadata(developer)
            .DocumentBody<Generation.GenerateRequest>()
            .DocumentSelectorsAndIdempotency()
            .Produces<Generation.GenerateResponse>(200)
            .ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(413)
            .ProducesProblem(415).ProducesProblem(422).ProducesProblem(429).ProducesProblem(503)
            .DocumentExamples(ApiExamples.Generate);
        v1.MapGet("/models", ModelsEndpoints.List)
            .WithName("ListModels")
            .WithSummary("Models your organization may use, with their signatures")
            .WithMetadata(viewer)
            .Produces<IReadOnlyList<ModelSummary>>(200)
            .DocumentExamples(ApiExamples.ListModels);
        v1.MapGet("/models/{name}", ModelsEndpoints.Get)
            .WithName("GetModel")
            .WithSummary("One model, its signature and every version")
            .WithMetadata(viewer)
            .Produces<ModelDetail>(200).ProducesProblem(404).ProducesProblem(503)
            .DocumentExamples(ApiExamples.GetModel);
        v1.MapPost("/predictions/{id}/feedback", FeedbackEndpoint.HandleAsync)
            .WithName("AddFeedback")
            .WithSummary("Tell us the correct label of a prediction")
            .WithMetadata(developer)
            .DocumentBody<FeedbackRequest>()
            .Produces<FeedbackResponse>(201).ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(413)
            .ProducesProblem(415).ProducesProblem(422).ProducesProblem(429).ProducesProblem(503)
            .DocumentExamples(ApiExamples.AddFeedback);
        v1.MapGet("/feedback", FeedbackListEndpoint.Handle)
            .WithName("ListFeedback")
            .WithSummary("Feedback on your predictions, newest first, in pages")
            .WithDescription("?model= and ?label= (a class name) filter; ?limit= (1 to 500, default 50) sizes the page; ?cursor= takes next_cursor of the previous page. A key scoped to some models must name one with ?model=.")
            .WithMetadata(viewer)
            .DocumentQuery(
                ("model", JsonSchemaType.String, "Only feedback on this model's predictions; required for a key scoped to some models."),
                ("label", JsonSchemaType.String, "Only feedback giving this class name as the correct label."),
                ("limit", JsonSchemaType.Integer, "Items per page, 1 to 500 (default 50)."),
                ("cursor", JsonSchemaType.String, "next_cursor of the previous page."))
            .Produces<FeedbackListResponse>(200).ProducesProblem(400).ProducesProblem(404)
            .DocumentExamples(ApiExamples.ListFeedback);
        app.MapFallback("/v1/{**path}", V1Fallback.Handle).ExcludeFromDescription();
        v1.MapGet("/usage", UsageEndpoint.Handle)
            .WithName("GetUsage")
            .WithSummary("Your usage by day and model, and the current invoice")
            .WithMetadata(viewer)
            .DocumentQuery(
                ("from", JsonSchemaType.String, "First day, YYYY-MM-DD (default: the first of this month, UTC)."),
                ("to", JsonSchemaType.String, "Last day, YYYY-MM-DD (default: today, UTC); at most 366 days after from."))
            .Produces<UsageResponse>(200).ProducesProblem(400)
            .DocumentExamples(ApiExamples.GetUsage);
    }
}
