using Telehealth.CareRecord;
using Telehealth.CareRecord.Alerting;
using Telehealth.CareRecord.News2;
using Telehealth.CareRecord.Thresholds;
using Telehealth.Contracts.Events;
using Telehealth.Contracts.Readings;
using Telehealth.CareRecord.Caseload;
using Telehealth.CareRecord.Devices;

namespace Telehealth.Tests.Fhir;

/// <summary>Domain records for the FHIR mapping tests.</summary>
internal static class FhirSamples
{
    public const string PatientId = "pat-7k2m9q4xab";
    public const string DeviceId = "dev-abcdefgh23";
    public static readonly DateTimeOffset At = new(2025, 3, 1, 9, 30, 15, 250, TimeSpan.Zero);

    /// <summary>A person with a clinician-set SpO2 band (COPD: 88–92 %), everything else default.</summary>
    public static readonly ThresholdSet Personal = ThresholdSet.Defaults.WithOverrides(
        [new VitalThreshold(VitalKind.Spo2, CriticalLow: 85, Low: 88, High: 96, CriticalHigh: null)]);

    public static Reading Reading(VitalKind kind, double value, DateTimeOffset? at = null, string deviceId = DeviceId, string patientId = PatientId) =>
        new(deviceId, patientId, kind, value, at ?? At, (at ?? At).AddSeconds(2));

    public static TelecareEvent Event(TelecareEventType type, DateTimeOffset? at = null) =>
        new(DeviceId, PatientId, type, at ?? At, (at ?? At).AddSeconds(1));

    public static PatientRecord Patient(string? nhsNumber = "9434765919", DateOnly? born = null) =>
        new(PatientId, "Ada Lovelace", nhsNumber, born ?? new DateOnly(1948, 12, 10), News2Scale.Scale1, false, "team-north", At.AddDays(-30));

    public static DeviceRecord Device(DeviceType type, string deviceId = DeviceId) =>
        new(deviceId, PatientId, type, At.AddDays(-20), At, 80);

    /// <summary>
    /// An alert raised at <see cref="At"/>, acknowledged at +10 min (unless Open), condition cleared at +30 min when
    /// not active, resolved at +30 min when Resolved, last updated at +40 min.
    /// </summary>
    public static AlertCase Alert(
        AlertCaseStatus status,
        bool conditionActive,
        AlertSeverity severity = AlertSeverity.High,
        string conditionKey = "threshold:spo2",
        Guid? id = null)
    {
        var acknowledged = status != AlertCaseStatus.Open;
        var alertId = id ?? Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
        return new AlertCase(
            alertId,
            PatientId,
            conditionKey,
            IncidentId: alertId,
            severity,
            Code: "below_low",
            "SpO2 89 % below personal low 90 %",
            Device: null,
            status,
            conditionActive,
            Instantaneous: false,
            SelfClearing: false,
            Occurrences: 2,
            RaisedAt: At,
            OpenedAt: At,
            UpdatedAt: At.AddMinutes(40),
            ObservedAt: At,
            RespondBy: At.AddHours(1),
            AcknowledgedAt: acknowledged ? At.AddMinutes(10) : null,
            AcknowledgedBy: acknowledged ? "nurse.jones" : null,
            ClearedAt: conditionActive ? null : At.AddMinutes(30),
            ResolvedAt: status == AlertCaseStatus.Resolved ? At.AddMinutes(30) : null,
            ResolvedBy: status == AlertCaseStatus.Resolved ? "system" : null,
            Outcome: status == AlertCaseStatus.Resolved ? AlertOutcome.AutoCleared : null);
    }

    public static News2Assessment Assessment(params Reading[] basis) => Assessment(News2Scale.Scale1, basis);

    public static News2Assessment Assessment(News2Scale scale, params Reading[] basis)
    {
        double? Value(VitalKind kind) => basis.FirstOrDefault(r => r.Kind == kind)?.Value;
        var score = News2Calculator.Calculate(new News2Inputs(
            Value(VitalKind.RespiratoryRate), Value(VitalKind.Spo2), false, Value(VitalKind.SystolicBp),
            Value(VitalKind.HeartRate), null, Value(VitalKind.BodyTemperature), scale));
        var patientId = basis[0].PatientId;
        return new News2Assessment(News2Assessment.IdFor(patientId, basis), patientId, score, scale, basis,
            basis.Max(r => r.DeviceTime), basis.Max(r => r.DeviceTime).AddSeconds(5));
    }
}
