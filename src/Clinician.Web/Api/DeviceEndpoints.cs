using System.Security.Claims;
using Telehealth.Alerts.Caseload;
using Telehealth.Clinician.Web.Auth;
using Telehealth.Contracts.Devices;
using Telehealth.Gateway.Devices;

namespace Telehealth.Clinician.Web.Api;

public static class DeviceEndpoints
{
    public sealed record RegisterDeviceRequest(string? PatientId, string? Type);

    /// <summary>The secret is shown once, here; the platform keeps only its hash.</summary>
    public sealed record DeviceRegisteredResponse(string DeviceId, string Secret, string PatientId, string Type, string ReadingsTopic, string EventsTopic, string StatusTopic);

    public sealed record DeviceDto(string DeviceId, string PatientId, string Type, DateTimeOffset RegisteredAt, DateTimeOffset? LastSeenAt, int? BatteryPercent);

    public static IEndpointRouteBuilder MapDeviceEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/devices").RequireAuthorization().WithTags("Devices");

        group.MapPost("/", async (RegisterDeviceRequest request, ClaimsPrincipal user, IPatientRepository patients, IDeviceRegistry registry, CancellationToken ct) =>
        {
            if (!DeviceTypes.TryParseWireName(request.Type, out var type))
            {
                return Results.ValidationProblem(new Dictionary<string, string[]>
                {
                    ["type"] = [$"Unknown device type '{request.Type}'. Known: {string.Join(", ", DeviceTypes.All.Select(t => t.WireName()))}."],
                });
            }
            if (string.IsNullOrEmpty(request.PatientId) || await PatientEndpoints.FindInTeamAsync(request.PatientId, user, patients, ct) is null)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["patientId"] = ["No such patient in your team."] });
            }
            var registration = await registry.RegisterAsync(request.PatientId, type, ct);
            var id = registration.Device.DeviceId;
            return Results.Created($"/api/devices/{id}", new DeviceRegisteredResponse(
                id, registration.Secret, request.PatientId, type.WireName(),
                DeviceTopics.Readings(id), DeviceTopics.Events(id), DeviceTopics.Status(id)));
        });

        group.MapGet("/", async (string? patientId, ClaimsPrincipal user, IPatientRepository patients, IDeviceRegistry registry, CancellationToken ct) =>
        {
            var teamPatients = (await patients.ListAsync(user.TeamId(), ct)).Select(p => p.Id).ToHashSet();
            if (patientId is not null && !teamPatients.Contains(patientId))
            {
                return PatientEndpoints.NotFound(patientId);
            }
            var devices = await registry.ListAsync(patientId, ct);
            return Results.Ok(devices.Where(d => teamPatients.Contains(d.PatientId)).Select(ToDto));
        });

        group.MapGet("/{deviceId}", async (string deviceId, ClaimsPrincipal user, IPatientRepository patients, IDeviceRegistry registry, CancellationToken ct) =>
        {
            var device = await registry.GetAsync(deviceId, ct);
            if (device is null || await PatientEndpoints.FindInTeamAsync(device.PatientId, user, patients, ct) is null)
            {
                return Results.Problem(statusCode: 404, title: $"No device {deviceId} in your team");
            }
            return Results.Ok(ToDto(device));
        });
        return app;
    }

    private static DeviceDto ToDto(DeviceRecord d) =>
        new(d.DeviceId, d.PatientId, d.Type.WireName(), d.RegisteredAt, d.LastSeenAt, d.BatteryPercent);
}
