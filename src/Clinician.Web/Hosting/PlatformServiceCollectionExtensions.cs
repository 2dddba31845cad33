using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
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

        // Storage: one embedded SQLite file for the care record; readings in SQLite or InfluxDB.
        services.AddSingleton(sp =>
        {
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            return new SqliteDatabase(Path.Combine(storage.DataDirectory, "telehealth.db"));
        });
        var influx = configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>()?.Influx;
        if (!string.IsNullOrWhiteSpace(influx?.Url))
        {
            services.AddHttpClient(nameof(InfluxReadingStore), client => client.Timeout = TimeSpan.FromSeconds(30));
            services.AddSingleton<IReadingStore>(sp => new InfluxReadingStore(
                sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(InfluxReadingStore)),
                new InfluxOptions { Url = new Uri(influx.Url), Database = influx.Database, Username = influx.Username, Password = influx.Password },
                sp.GetRequiredService<ILogger<InfluxReadingStore>>()));
        }
        else
        {
            services.AddSingleton<IReadingStore, SqliteReadingStore>();
        }
        services.AddSingleton<ITelecareEventStore, SqliteTelecareEventStore>();
        services.AddSingleton<IConsciousnessStore, SqliteConsciousnessStore>();
        services.AddSingleton(sp => new SqliteRejectionLog(
            sp.GetRequiredService<SqliteDatabase>(), sp.GetRequiredService<IOptions<RejectionOptions>>().Value.MaxRows));
        services.AddSingleton<IRejectionLog>(sp => sp.GetRequiredService<SqliteRejectionLog>());

        // Schemas first: registered before every other hosted service, so it starts first.
        services.AddHostedService<PlatformInitializer>();
        services.AddSingleton<RetentionPruner>();
        services.AddHostedService(sp => sp.GetRequiredService<RetentionPruner>());

        // Alert core, pushing to staff over SignalR.
        // Every API body is small JSON (FHIR here is read-only): 1 MiB refuses a flood before it is buffered.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        services.AddSignalR();
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
        services.AddTelehealthFhirOutbox(); // after the alert core and gateway: it decorates their repositories

        // Staff authentication: bearer tokens, also accepted by the hub as ?access_token= (browsers cannot set headers on WebSockets).
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<SignInOptions>>().Value);
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<PasswordHashGate>();
        services.AddSingleton<StaffDirectory>();
        services.AddSingleton<Staff.StaffAccounts>();
        services.AddSingleton<Telehealth.CareRecord.Caseload.IPatientContactStore, Telehealth.Storage.Sqlite.Caseload.SqlitePatientContactStore>();
        services.AddSingleton<Telehealth.CareRecord.Audit.IAuditLog, Telehealth.Storage.Sqlite.Audit.SqliteAuditLog>();
        services.AddSingleton<ITeamStore, Telehealth.Storage.Sqlite.Staff.SqliteTeamStore>();
        services.AddSingleton<SqliteSignInFailureLog>();
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
        services.AddAuthorization();
        services.AddFhirServer();
        services.AddProblemDetails();
        // Malformed request bodies answer 400 ProblemDetails in every environment, never an exception page.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(options => options.ThrowOnBadRequest = false);
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
        });
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<PermissionMiddleware>(); // roles (PermissionMatrix) and disabled accounts, on every endpoint
        app.UseMiddleware<Audit.AuditMiddleware>(); // views and changes of a person's record (endpoints marked Audited)
        app.MapOpenApi();
        app.MapAuthEndpoints();
        app.MapPatientEndpoints();
        app.MapObservationEndpoints();
        app.MapDeviceEndpoints();
        app.MapAlertEndpoints();
        app.MapTeamRotaEndpoints();
        app.MapRejectionEndpoints();
        app.MapStaffEndpoints();
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
