using Telehealth.Clinician.Web.Audit;
using Telehealth.CareRecord.Audit;
using Telehealth.CareRecord.Staff;
using System.Security.Claims;
using Microsoft.Extensions.Options;
using Telehealth.Clinician.Web.Auth;
using Telehealth.Contracts.Devices;
using Telehealth.Gateway.Ingress;
using Telehealth.CareRecord.Caseload;
using Telehealth.CareRecord.Devices;

namespace Telehealth.Clinician.Web.Api;

/// <summary>
/// Device lifecycle for staff: register (secret shown once), list and read, set model/serial/firmware, rotate the
/// secret (new one shown once), revoke, assign to a person and retrieve. A device is in a team when its current (or,
/// once retrieved, last) person is; docs/device-api.md describes each call.
/// </summary>
public static class DeviceEndpoints
{
    public sealed record RegisterDeviceRequest(string? PatientId, string? Type, string? Model = null, string? SerialNumber = null, string? Firmware = null);

    /// <summary>The secret is shown once, here; the platform keeps only its hash.</summary>
    public sealed record DeviceRegisteredResponse(string DeviceId, string Secret, string PatientId, string Type, string ReadingsTopic, string EventsTopic, string StatusTopic);

    public sealed record SecretRotatedResponse(string DeviceId, string Secret);

    public sealed record AssignDeviceRequest(string? PatientId);

    public sealed record DeviceDetailsRequest(string? Model, string? SerialNumber, string? Firmware);

    /// <param name="PatientId">The person who has the device now; null once it was retrieved (see <paramref name="LastPatientId"/>).</param>
    /// <param name="ClockOffsetSeconds">Device clock minus the platform's, from its last status that carried a time.</param>
    /// <param name="ClockSkewFlagged">The offset is beyond Devices:ClockSkewFlag: the device's clock needs setting.</param>
    /// <param name="RateLimitedMessages">Messages refused as rate_limited since the platform started.</param>
    public sealed record DeviceDto(
        string DeviceId, string? PatientId, string LastPatientId, string Type, string Status, DateTimeOffset RegisteredAt,
        DateTimeOffset? RevokedAt, string? Model, string? SerialNumber, string? Firmware, int? BatteryPercent,
        DateTimeOffset? LastSeenAt, double? ClockOffsetSeconds, bool ClockSkewFlagged, long RateLimitedMessages);

    public sealed record AssignmentDto(string PatientId, DateTimeOffset? From, DateTimeOffset? To);

    public static IEndpointRouteBuilder MapDeviceEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/devices").Requires(StaffPermission.ViewCaseload).Audited(AuditAction.View, AuditSubject.DeviceRoute, "deviceId").WithTags("Devices");
        var manage = group.MapGroup("").Requires(StaffPermission.ManageDevices).Audited(AuditAction.Change, AuditSubject.DeviceRoute, "deviceId");

        manage.MapPost("/", async (RegisterDeviceRequest request, ClaimsPrincipal user, IPatientRepository patients, IDeviceRegistry registry, CancellationToken ct) =>
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
            var registration = await registry.RegisterAsync(
                request.PatientId, type, new DeviceDetails(request.Model, request.SerialNumber, request.Firmware), cancellationToken: ct);
            var id = registration.Device.DeviceId;
            return Results.Created($"/api/devices/{id}", new DeviceRegisteredResponse(
                id, registration.Secret, request.PatientId, type.WireName(),
                DeviceTopics.Readings(id), DeviceTopics.Events(id), DeviceTopics.Status(id)));
        }).Audited(AuditAction.Change, AuditSubject.CreatedDevice);

        group.MapGet("/", async (string? patientId, ClaimsPrincipal user, IPatientRepository patients, IDeviceRegistry registry, DeviceDtos dtos, CancellationToken ct) =>
        {
            if (patientId is not null && await PatientEndpoints.FindInTeamAsync(patientId, user, patients, ct) is null)
            {
                return PatientEndpoints.NotFound(patientId);
            }
            var devices = patientId is null ? await registry.ListForTeamAsync(user.TeamId(), ct) : await registry.ListAsync(patientId, ct);
            return Results.Ok(devices.Select(dtos.ToDto));
        }).Audited(AuditAction.View, AuditSubject.PatientQuery, "patientId");

        group.MapGet("/{deviceId}", async (string deviceId, ClaimsPrincipal user, IPatientRepository patients, IDeviceRegistry registry, DeviceDtos dtos, CancellationToken ct) =>
            await FindInTeamAsync(deviceId, user, patients, registry, ct) is { } device ? Results.Ok(dtos.ToDto(device)) : NotFound(deviceId));

        group.MapGet("/{deviceId}/assignments", async (string deviceId, ClaimsPrincipal user, IPatientRepository patients, IDeviceRegistry registry, CancellationToken ct) =>
        {
            if (await FindInTeamAsync(deviceId, user, patients, registry, ct) is null)
            {
                return NotFound(deviceId);
            }
            var history = await registry.GetAssignmentsAsync(deviceId, ct);
            return Results.Ok(history.Periods.Select(p => new AssignmentDto(p.PatientId, p.From, p.To)));
        });

        manage.MapPatch("/{deviceId}", async (string deviceId, DeviceDetailsRequest request, ClaimsPrincipal user, IPatientRepository patients, IDeviceRegistry registry, DeviceDtos dtos, CancellationToken ct) =>
        {
            if (await FindInTeamAsync(deviceId, user, patients, registry, ct) is null)
            {
                return NotFound(deviceId);
            }
            await registry.UpdateDetailsAsync(deviceId, new DeviceDetails(request.Model, request.SerialNumber, request.Firmware), ct);
            return Results.Ok(dtos.ToDto((await registry.GetAsync(deviceId, ct))!));
        });

        manage.MapPost("/{deviceId}/rotate-secret", async (string deviceId, ClaimsPrincipal user, IPatientRepository patients, IDeviceRegistry registry, CancellationToken ct) =>
        {
            if (await FindInTeamAsync(deviceId, user, patients, registry, ct) is not { } device)
            {
                return NotFound(deviceId);
            }
            if (device.IsRevoked)
            {
                return Results.Problem(statusCode: 409, title: $"Device {deviceId} is revoked; register a new device instead");
            }
            // Shown once, here; the old secret stops working and live connections made with it are dropped.
            return await registry.RotateSecretAsync(deviceId, ct) is { } secret
                ? Results.Ok(new SecretRotatedResponse(deviceId, secret))
                : Results.Problem(statusCode: 409, title: $"Device {deviceId} is revoked; register a new device instead");
        });

        manage.MapPost("/{deviceId}/revoke", async (string deviceId, ClaimsPrincipal user, IPatientRepository patients, IDeviceRegistry registry, DeviceDtos dtos, CancellationToken ct) =>
        {
            if (await FindInTeamAsync(deviceId, user, patients, registry, ct) is null)
            {
                return NotFound(deviceId);
            }
            await registry.RevokeAsync(deviceId, ct);
            return Results.Ok(dtos.ToDto((await registry.GetAsync(deviceId, ct))!));
        });

        manage.MapPost("/{deviceId}/assign", async (string deviceId, AssignDeviceRequest request, ClaimsPrincipal user, IPatientRepository patients, IDeviceRegistry registry, DeviceDtos dtos, CancellationToken ct) =>
        {
            if (await FindInTeamAsync(deviceId, user, patients, registry, ct) is null)
            {
                return NotFound(deviceId);
            }
            if (string.IsNullOrEmpty(request.PatientId) || await PatientEndpoints.FindInTeamAsync(request.PatientId, user, patients, ct) is null)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["patientId"] = ["No such patient in your team."] });
            }
            return await registry.AssignAsync(deviceId, request.PatientId, ct) switch
            {
                DeviceChangeResult.Revoked => Results.Problem(statusCode: 409, title: $"Device {deviceId} is revoked; register a new device instead"),
                DeviceChangeResult.UnknownDevice => NotFound(deviceId),
                _ => Results.Ok(dtos.ToDto((await registry.GetAsync(deviceId, ct))!)),
            };
        });

        manage.MapPost("/{deviceId}/retrieve", async (string deviceId, ClaimsPrincipal user, IPatientRepository patients, IDeviceRegistry registry, DeviceDtos dtos, CancellationToken ct) =>
        {
            if (await FindInTeamAsync(deviceId, user, patients, registry, ct) is null)
            {
                return NotFound(deviceId);
            }
            await registry.RetrieveAsync(deviceId, ct);
            return Results.Ok(dtos.ToDto((await registry.GetAsync(deviceId, ct))!));
        });
        return app;
    }

    private static async Task<DeviceRecord?> FindInTeamAsync(
        string deviceId, ClaimsPrincipal user, IPatientRepository patients, IDeviceRegistry registry, CancellationToken ct)
    {
        var device = await registry.GetAsync(deviceId, ct);
        return device is not null && await PatientEndpoints.FindInTeamAsync(device.PatientId, user, patients, ct) is not null ? device : null;
    }

    private static IResult NotFound(string deviceId) => Results.Problem(statusCode: 404, title: $"No device {deviceId} in your team");

    /// <summary>Builds <see cref="DeviceDto"/>s with the live parts (rate-limit counts) and the skew bound from options.</summary>
    public sealed class DeviceDtos(DeviceRateLimiter rateLimiter, IOptions<DeviceIngressOptions> options)
    {
        public DeviceDto ToDto(DeviceRecord d) => new(
            d.DeviceId,
            d.IsAssigned ? d.PatientId : null,
            d.PatientId,
            d.Type.WireName(),
            d.IsRevoked ? "revoked" : d.IsAssigned ? "assigned" : "retrieved",
            d.RegisteredAt,
            d.RevokedAt,
            d.Details.Model,
            d.Details.SerialNumber,
            d.Details.Firmware,
            d.BatteryPercent,
            d.LastSeenAt,
            d.ClockOffset?.TotalSeconds,
            d.ClockOffset is { } offset && offset.Duration() > options.Value.ClockSkewFlag,
            rateLimiter.RefusedCount(d.DeviceId));
    }
}
