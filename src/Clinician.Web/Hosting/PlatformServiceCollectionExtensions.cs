using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using StackExchange.Redis;
using Telehealth.Alerts;
using Telehealth.Alerts.Engine;
using Telehealth.Alerts.Escalation;
using Telehealth.Alerts.Recording;
using Telehealth.Clinician.Web.Api;
using Telehealth.Clinician.Web.Audit;
using Telehealth.Clinician.Web.Auth;
using Telehealth.Clinician.Web.Demo;
using Telehealth.Clinician.Web.Hubs;
using Telehealth.Clinician.Web.Realtime;
using Telehealth.Contracts.Ingestion;
using Telehealth.Contracts.Rejections;
using Telehealth.Fhir.Outbox;
using Telehealth.Fhir.Server;
using Telehealth.Gateway;
using Telehealth.Ingest.Pipeline;
using Telehealth.Ingest.Storage.Influx;
using Telehealth.CareRecord.Staff;
using Telehealth.Contracts.Events;
using Telehealth.Contracts.Observations;
using Telehealth.Contracts.Readings;
using Telehealth.Storage.Postgres;
using Telehealth.Storage.Postgres.Ingest;
using Telehealth.Storage.Sqlite;
using Telehealth.Storage.Sqlite.Ingest;

namespace Telehealth.Clinician.Web.Hosting;

/// <summary>
/// Wires the whole platform into one process: device edge (Gateway), ingest, alert core and the staff web app.
/// Each part lives in its own library; this file only chooses implementations from configuration.
/// </summary>
public static class PlatformServiceCollectionExtensions
{
    /// <summary>Largest request body accepted (Kestrel refuses more with 413 while reading).</summary>
    public const long MaxRequestBodyBytes = 1024 * 1024;

    public static WebApplicationBuilder AddTelehealthPlatform(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;

        services.AddSingleton(TimeProvider.System);
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<IngestOptions>().Bind(configuration.GetSection(IngestOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SignInOptions>().Bind(configuration.GetSection(SignInOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RejectionOptions>().Bind(configuration.GetSection(RejectionOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<FollowUpOptions>().Bind(configuration.GetSection(FollowUpOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<FollowUpOptions>>().Value.ToPolicy());
        services.AddOptions<DemoOptions>().Bind(configuration.GetSection(DemoOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();

        // Storage: the care record in one embedded SQLite file, or (Storage:Postgres:ConnectionString) in a shared PostgreSQL
        // database for several instances; readings in SQLite (embedded only) or InfluxDB.
        services.AddOptions<PostgresStorageOptions>().Bind(configuration.GetSection(PostgresStorageOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        var postgres = configuration.GetSection(PostgresStorageOptions.SectionName).Get<PostgresStorageOptions>() ?? new();
        var onPostgres = !string.IsNullOrWhiteSpace(postgres.ConnectionString);
        var postgresProblems = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        if (onPostgres && !System.ComponentModel.DataAnnotations.Validator.TryValidateObject(postgres, new(postgres), postgresProblems, validateAllProperties: true))
        {
            // Checked here, before anything below decides on the engine: a malformed string is the one line reported.
            throw new OptionsValidationException(PostgresStorageOptions.SectionName, typeof(PostgresStorageOptions), postgresProblems.Select(p => p.ErrorMessage ?? ""));
        }
        if (onPostgres)
        {
            // Created when first asked for, after the options above were validated: a malformed string is one line at start.
            services.AddSingleton(sp => new PostgresDatabase(sp.GetRequiredService<IOptions<PostgresStorageOptions>>().Value.ConnectionString!));
            services.AddTelehealthPostgresStorage(); // every care-record store, the one outbox and the migrator
        }
        else
        {
            services.AddSingleton(sp =>
            {
                var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
                return new SqliteDatabase(Path.Combine(storage.DataDirectory, "telehealth.db"), checkpointsInBackground: true);
            });
            services.AddTelehealthSqliteStorage(); // every care-record store, the one outbox and the migrator
            services.AddHostedService<SqliteWalCheckpointer>(); // commits of this database leave checkpoints to it
        }
        services.AddSingleton<CareRecordSchemaStartup>();
        var influx = configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>()?.Influx;
        if (!string.IsNullOrWhiteSpace(influx?.Url))
        {
            // Every InfluxOptions setting (API version, retention, downsampling, timeouts) binds from Storage:Influx and is
            // checked at start. The request timeout is InfluxOptions.RequestTimeout, not HttpClient's.
            services.AddOptions<InfluxOptions>().Bind(configuration.GetSection($"{StorageOptions.SectionName}:{InfluxOptions.SectionName}"))
                .ValidateDataAnnotations().ValidateOnStart();
            services.AddHttpClient(nameof(InfluxReadingStore), client => client.Timeout = Timeout.InfiniteTimeSpan);
            services.AddSingleton<IReadingStore>(sp => new InfluxReadingStore(
                sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(InfluxReadingStore)),
                sp.GetRequiredService<IOptions<InfluxOptions>>().Value,
                sp.GetRequiredService<ILogger<InfluxReadingStore>>(),
                sp.GetRequiredService<TimeProvider>()));
        }
        else if (onPostgres)
        {
            // SQLite readings queue their evaluation in the SQLite file: with a shared care record they must be in InfluxDB.
            throw new OptionsValidationException(PostgresStorageOptions.SectionName, typeof(PostgresStorageOptions),
                ["Storage:Postgres:ConnectionString needs Storage:Influx:Url: with a shared PostgreSQL care record, readings are kept in InfluxDB."]);
        }
        else
        {
            services.AddSingleton<IReadingStore, SqliteReadingStore>();
        }
        if (onPostgres)
        {
            services.AddSingleton(sp => new PostgresRejectionLog(
                sp.GetRequiredService<PostgresDatabase>(), sp.GetRequiredService<IOptions<RejectionOptions>>().Value.MaxRows));
            services.AddSingleton<IRejectionLog>(sp => sp.GetRequiredService<PostgresRejectionLog>());
            services.AddSingleton<IRejectionQueries>(sp => sp.GetRequiredService<PostgresRejectionLog>());
        }
        else
        {
            services.AddSingleton(sp => new SqliteRejectionLog(
                sp.GetRequiredService<SqliteDatabase>(), sp.GetRequiredService<IOptions<RejectionOptions>>().Value.MaxRows));
            services.AddSingleton<IRejectionLog>(sp => sp.GetRequiredService<SqliteRejectionLog>());
            services.AddSingleton<IRejectionQueries>(sp => sp.GetRequiredService<SqliteRejectionLog>());
        }

        // Schema migrations first: registered before every other hosted service, so it starts first.
        services.AddHostedService<PlatformInitializer>();
        services.AddSingleton<RetentionPruner>();
        services.AddHostedService(sp => sp.GetRequiredService<RetentionPruner>());
        services.AddSingleton<OutboxRetentionSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxRetentionSweeper>());

        // Alert core, pushing to staff over SignalR.
        // Every API body is small JSON (FHIR here is read-only): 1 MiB refuses a flood before it is buffered.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        services.AddOptions<RealtimeOptions>().Bind(configuration.GetSection(RealtimeOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        var signalR = services.AddSignalR();
        // Several instances: a Redis backplane, so a dashboard on any instance receives what any instance sends.
        if (configuration.GetSection(RealtimeOptions.SectionName).Get<RealtimeOptions>() is { Redis: { Length: > 0 } redis } realtime)
        {
            signalR.AddStackExchangeRedis(redis, options => options.Configuration.ChannelPrefix = RedisChannel.Literal(realtime.ChannelPrefix));
        }
        services.AddSingleton<IAlertEventFollower, SignalRAlertEventFollower>();
        services.AddTelehealthAlerts();
        services.AddTelehealthEscalation(); // duty rotas, escalation timers, notification channels and outbox

        // Ingest pipeline, then the device edge that feeds it.
        services.AddMetrics();
        services.AddSingleton<IngestMetrics>();
        services.AddSingleton<IngestPipeline>();
        services.AddSingleton<IIngestSink>(sp => sp.GetRequiredService<IngestPipeline>());
        services.AddHostedService(sp => sp.GetRequiredService<IngestPipeline>());
        services.AddTelehealthGateway(configuration);
        services.AddSingleton<Api.DeviceEndpoints.DeviceDtos>();
        services.AddTelehealthFhirOutbox(configuration); // after the alert core and gateway: it decorates their repositories

        // Staff authentication: bearer tokens, also accepted by the hub as ?access_token= (browsers cannot set headers on WebSockets).
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<SignInOptions>>().Value);
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<PasswordHashGate>();
        services.AddSingleton<StaffDirectory>();
        services.AddSingleton<Staff.StaffAccounts>();
        services.AddSingleton<SignInService>();
        services.AddSingleton<SigningKeyProvider>();
        services.AddSingleton<TokenIssuer>();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<SigningKeyProvider>((options, keys) =>
            {
                options.MapInboundClaims = false;
                options.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = TokenIssuer.Issuer,
                    ValidAudience = TokenIssuer.Audience,
                    IssuerSigningKey = keys.Key,
                    NameClaimType = StaffClaims.Subject,
                    RoleClaimType = StaffClaims.Role,
                    ClockSkew = TimeSpan.FromSeconds(30),
                };
                options.Events = new JwtBearerEvents
                {
                    // Every endpoint relies on these claims; a validly signed token without them (or with an unknown
                    // role) is refused here as 401 rather than failing later as a 500.
                    OnTokenValidated = context =>
                    {
                        var principal = context.Principal;
                        if (string.IsNullOrEmpty(principal?.FindFirst(StaffClaims.Subject)?.Value)
                            || string.IsNullOrEmpty(principal.FindFirst(StaffClaims.Team)?.Value)
                            || principal.FindFirst(StaffClaims.Role)?.Value is not { } role || !StaffRoles.IsKnown(role))
                        {
                            context.Fail("Token lacks a subject, team or known role.");
                        }
                        return Task.CompletedTask;
                    },
                    OnMessageReceived = context =>
                    {
                        var accessToken = context.Request.Query["access_token"];
                        if (!string.IsNullOrEmpty(accessToken) && context.HttpContext.Request.Path.StartsWithSegments(AlertsHub.Path))
                        {
                            context.Token = accessToken;
                        }
                        return Task.CompletedTask;
                    },
                };
            });
        services.AddStaffSessionCookie(); // browsers: the same token in an HttpOnly cookie (SessionCookie)
        services.AddAuthorization();
        services.AddFhirServer();
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            // A request an endpoint could not read (a malformed body, a query value of the wrong type, a missing required
            // one) says which part and why, so its sender can put it right: the message names the parameter and echoes
            // what was sent, never anything stored. Before, these were a 400 with an empty body.
            if (context.Exception is BadHttpRequestException bad)
            {
                context.ProblemDetails.Detail = bad.Message;
            }
        });
        // Binding failures are thrown, so the exception handler below answers them as ProblemDetails with the reason
        // (with false, the endpoint answered a bare 400 and the reason went only to a Debug log line).
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddOpenApi();
        services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.SnakeCaseLower));
        });

        if (configuration.GetValue<bool>("Demo:Enabled"))
        {
            services.AddTelehealthDemo();
        }
        return builder;
    }

    public static WebApplication MapTelehealthPlatform(this WebApplication app)
    {
        app.UseMiddleware<SecurityHeadersMiddleware>();
        // ProblemDetails only: no stack trace or exception text reaches a client, whatever the environment.
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = exception => exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
            // A request the platform could not read is its sender's mistake, answered above, not a server error: not
            // logged as an unhandled exception (its message echoes what was sent, which may be a value).
            SuppressDiagnosticsCallback = context => context.Exception is BadHttpRequestException,
        });
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseMiddleware<CsrfGuardMiddleware>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<PermissionMiddleware>(); // roles (PermissionMatrix) and disabled accounts, on every endpoint
        app.UseMiddleware<Audit.AuditMiddleware>(); // views and changes of a person's record (endpoints marked Audited)
        app.MapOpenApi();
        app.MapAuthEndpoints();
        app.MapSessionEndpoints();
        app.MapPatientEndpoints();
        app.MapPatientDetailsEndpoints();
        app.MapReadingSummaryEndpoints();
        app.MapObservationEndpoints();
        app.MapMonitoringPlanEndpoints();
        app.MapCarePlanEndpoints();
        app.MapThresholdHistoryEndpoints();
        app.MapFiguresEndpoints();
        app.MapDeviceEndpoints();
        app.MapAlertEndpoints();
        app.MapAlertSnoozeEndpoints();
        app.MapPersonTimelineEndpoints();
        app.MapTeamRotaEndpoints();
        app.MapRejectionEndpoints();
        app.MapStaffEndpoints();
        app.MapColleagueEndpoints();
        app.MapAuditEndpoints();
        app.MapPatientContactEndpoints();
        app.MapWorklistEndpoints();
        app.MapGroup("").Requires(Telehealth.CareRecord.Staff.StaffPermission.ViewCaseload)
            .Audited(Telehealth.CareRecord.Audit.AuditAction.View, Audit.AuditSubject.Fhir).MapFhirServer(user => user.TeamId());
        app.MapFhirOutboxEndpoints();
        app.MapHub<AlertsHub>(AlertsHub.Path).Requires(Telehealth.CareRecord.Staff.StaffPermission.ViewCaseload);
        app.MapGet("/health", () => Results.Ok(new { status = "ok" })).AllowAnonymous();
        app.MapReadiness();
        return app;
    }
}
