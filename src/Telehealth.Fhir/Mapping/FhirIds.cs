using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Telehealth.Contracts.Events;
using Telehealth.Contracts.Observations;
using Telehealth.Contracts.Readings;

namespace Telehealth.Fhir.Mapping;

/// <summary>
/// Deterministic FHIR resource ids (rule: <c>[A-Za-z0-9\-\.]{1,64}</c>) and their parsers, so the served endpoint
/// can turn an id back into a store lookup and the outbox writes the same resource every time.
/// <list type="bullet">
/// <item>Patient: the platform patient id (<c>pat-…</c>). Device: the device id (<c>dev-…</c>).</item>
/// <item>Observation (vital): <c>{deviceId}.{token}.{deviceTimeUnixMs}</c>, token hr, spo2, temp, wt, rr, glu.</item>
/// <item>Observation (BP panel): <c>{deviceId}.bp.{deviceTimeUnixMs}</c> — the same id whichever components are present.</item>
/// <item>Observation (telecare event): <c>{deviceId}.ev-{wire name with '-'}.{deviceTimeUnixMs}</c>, e.g. <c>dev-x.ev-fall-detected.1740819600000</c>.</item>
/// <item>Observation (ACVPU): <c>{patientId}.acvpu.{observedAtUnixMs}</c>.</item>
/// <item>RiskAssessment: the assessment id (<c>news2-</c> + 24 hex). Flag: <c>alert-{guid:N}</c>. Task: <c>call-{guid:N}</c> (the alert's guid).</item>
/// <item>Goal: <c>goal-{guid:N}</c>. CarePlan: <c>{patientId}.careplan</c> (one care plan per person).</item>
/// </list>
/// Device ids must consist of letters, digits and '-' (the registry issues <c>dev-</c> + 10 characters); '.' separates the parts.
/// </summary>
public static class FhirIds
{
    private const string BloodPressureToken = "bp";
    private const string ConsciousnessToken = "acvpu";
    private const string EventTokenPrefix = "ev-";
    private const string FlagPrefix = "alert-";
    private const string TaskPrefix = "call-";
    private const string GoalPrefix = "goal-";
    private const string CarePlanSuffix = ".careplan";
    private const int MaxIdLength = 64;

    public static string Patient(string patientId) => RequireValidId(patientId, nameof(patientId));

    public static string Device(string deviceId) => RequireValidId(deviceId, nameof(deviceId));

    /// <summary>The Observation id of a reading; systolic and diastolic readings get their panel's id.</summary>
    public static string Observation(Reading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        return reading.Kind is VitalKind.SystolicBp or VitalKind.DiastolicBp
            ? BloodPressurePanel(reading.DeviceId, reading.DeviceTime)
            : Compose(reading.DeviceId, VitalToken(reading.Kind), reading.DeviceTime);
    }

    public static string BloodPressurePanel(string deviceId, DateTimeOffset deviceTime) =>
        Compose(deviceId, BloodPressureToken, deviceTime);

    public static string Observation(TelecareEvent telecareEvent)
    {
        ArgumentNullException.ThrowIfNull(telecareEvent);
        return Compose(telecareEvent.DeviceId, EventToken(telecareEvent.Type), telecareEvent.DeviceTime);
    }

    /// <summary>
    /// An ACVPU assessment: <c>{patientId}.acvpu.{observedAtUnixMs}</c> (one assessment per person and millisecond,
    /// whoever recorded it; staff usernames are not fit for ids).
    /// </summary>
    public static string Observation(ConsciousnessObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        return Compose(observation.PatientId, ConsciousnessToken, observation.ObservedAt);
    }

    /// <summary>Parses an ACVPU Observation id (<see cref="Observation(ConsciousnessObservation)"/>); false for anything else.</summary>
    public static bool TryParseConsciousnessObservationId(string? id, [NotNullWhen(true)] out string? patientId, out DateTimeOffset observedAt)
    {
        patientId = null;
        observedAt = default;
        if (!IsValidId(id))
        {
            return false;
        }
        var parts = id.Split('.');
        if (parts.Length != 3 || parts[1] != ConsciousnessToken || !IsValidDeviceId(parts[0])
            || parts[2].Length == 0 || !parts[2].All(char.IsAsciiDigit)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var unixMs)
            || unixMs > MaxUnixMs)
        {
            return false;
        }
        patientId = parts[0];
        observedAt = DateTimeOffset.FromUnixTimeMilliseconds(unixMs);
        return true;
    }

    public static string RiskAssessment(string assessmentId) => RequireValidId(assessmentId, nameof(assessmentId));

    public static string Flag(Guid alertId) => FlagPrefix + alertId.ToString("N");

    public static string Task(Guid alertId) => TaskPrefix + alertId.ToString("N");

    /// <summary>Parses an Observation id made by this class; false for anything else (answer 404, not 500).</summary>
    public static bool TryParseObservationId(string? id, [NotNullWhen(true)] out ObservationKey? key)
    {
        key = null;
        if (!IsValidId(id))
        {
            return false;
        }
        var parts = id.Split('.');
        if (parts.Length != 3 || !IsValidDeviceId(parts[0])
            || parts[2].Length == 0 || !parts[2].All(c => char.IsAsciiDigit(c) || c == '-')
            || !long.TryParse(parts[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var unixMs)
            || unixMs.ToString(CultureInfo.InvariantCulture) != parts[2]
            || unixMs < MinUnixMs || unixMs > MaxUnixMs)
        {
            return false;
        }
        var deviceTime = DateTimeOffset.FromUnixTimeMilliseconds(unixMs);
        var token = parts[1];
        if (token == BloodPressureToken)
        {
            key = new ObservationKey(ObservationKeyKind.BloodPressurePanel, parts[0], deviceTime);
            return true;
        }
        foreach (var kind in VitalKinds.All)
        {
            if (kind is not (VitalKind.SystolicBp or VitalKind.DiastolicBp) && VitalToken(kind) == token)
            {
                key = new ObservationKey(ObservationKeyKind.Vital, parts[0], deviceTime, Vital: kind);
                return true;
            }
        }
        foreach (var type in TelecareEventTypes.All)
        {
            if (EventToken(type) == token)
            {
                key = new ObservationKey(ObservationKeyKind.TelecareEvent, parts[0], deviceTime, EventType: type);
                return true;
            }
        }
        return false;
    }

    /// <summary>Parses a deterministic Observation id into its parts (device, what was measured, device time).</summary>
    public static bool TryParseObservationId(string? id, [NotNullWhen(true)] out string? deviceId, out ObservationKeyKind kind, out DateTimeOffset deviceTime)
    {
        if (TryParseObservationId(id, out var key))
        {
            (deviceId, kind, deviceTime) = (key.DeviceId, key.Kind, key.DeviceTime);
            return true;
        }
        (deviceId, kind, deviceTime) = (null, default, default);
        return false;
    }

    public static bool TryParseFlagId(string? id, out Guid alertId) => TryParseGuidId(id, FlagPrefix, out alertId);

    public static bool TryParseTaskId(string? id, out Guid alertId) => TryParseGuidId(id, TaskPrefix, out alertId);

    public static string Goal(Guid goalId) => GoalPrefix + goalId.ToString("N");

    public static bool TryParseGoalId(string? id, out Guid goalId) => TryParseGuidId(id, GoalPrefix, out goalId);

    public static string CarePlan(string patientId) => RequireValidId(patientId + CarePlanSuffix, nameof(patientId));

    /// <summary>Parses a CarePlan id (<see cref="CarePlan"/>) into the person's id; false for anything else.</summary>
    public static bool TryParseCarePlanId(string? id, [NotNullWhen(true)] out string? patientId)
    {
        patientId = IsValidId(id) && id.EndsWith(CarePlanSuffix, StringComparison.Ordinal) && id.Length > CarePlanSuffix.Length
            && id.IndexOf('.', StringComparison.Ordinal) == id.Length - CarePlanSuffix.Length
            ? id[..^CarePlanSuffix.Length]
            : null;
        return patientId is not null;
    }

    /// <summary>FHIR id rule: 1–64 of A–Z, a–z, 0–9, '-', '.'.</summary>
    public static bool IsValidId([NotNullWhen(true)] string? id) =>
        id is { Length: > 0 and <= MaxIdLength } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.');

    /// <summary>The short token for a vital kind in Observation ids (systolic/diastolic share the panel token "bp").</summary>
    public static string VitalToken(VitalKind kind) => kind switch
    {
        VitalKind.HeartRate => "hr",
        VitalKind.Spo2 => "spo2",
        VitalKind.SystolicBp or VitalKind.DiastolicBp => BloodPressureToken,
        VitalKind.BodyTemperature => "temp",
        VitalKind.BodyWeight => "wt",
        VitalKind.RespiratoryRate => "rr",
        VitalKind.BloodGlucose => "glu",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    // Year 0001 … 9999, so any parsed value is a valid DateTimeOffset.
    private static readonly long MinUnixMs = DateTimeOffset.MinValue.ToUnixTimeMilliseconds();
    private static readonly long MaxUnixMs = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    private static string EventToken(TelecareEventType type) => EventTokenPrefix + type.WireName().Replace('_', '-');

    private static string Compose(string deviceId, string token, DateTimeOffset deviceTime)
    {
        if (!IsValidDeviceId(deviceId))
        {
            throw new ArgumentException($"Device id '{deviceId}' cannot be part of a FHIR id (letters, digits and '-' only).", nameof(deviceId));
        }
        var id = string.Create(CultureInfo.InvariantCulture, $"{deviceId}.{token}.{deviceTime.ToUnixTimeMilliseconds()}");
        return id.Length <= MaxIdLength
            ? id
            : throw new ArgumentException($"Device id '{deviceId}' is too long for a FHIR id.", nameof(deviceId));
    }

    private static bool IsValidDeviceId(string? deviceId) =>
        deviceId is { Length: > 0 and <= 40 } && deviceId.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    private static string RequireValidId(string id, string parameterName) =>
        IsValidId(id) ? id : throw new ArgumentException($"'{id}' is not a valid FHIR id.", parameterName);

    private static bool TryParseGuidId(string? id, string prefix, out Guid alertId)
    {
        alertId = Guid.Empty;
        return id is not null && id.StartsWith(prefix, StringComparison.Ordinal) && id.Length == prefix.Length + 32
            && id.AsSpan(prefix.Length).IndexOfAnyExcept("0123456789abcdef") < 0
            && Guid.TryParseExact(id.AsSpan(prefix.Length), "N", out alertId);
    }
}
