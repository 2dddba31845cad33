using System.Globalization;
using Hl7.Fhir.Model;
using Telehealth.Contracts.Events;
using Telehealth.Contracts.Observations;
using Telehealth.Contracts.Readings;

namespace Telehealth.Fhir.Mapping;

/// <summary>
/// Business identifiers for conditional create/update (<c>?identifier=system|value</c>). Observation identifiers
/// follow the PHD IG pattern: device, patient, device time, type code and value, '|'-separated, so resending the
/// same measurement matches and a corrected value does not.
/// </summary>
public static class FhirIdentifiers
{
    public static Identifier Patient(string patientId) => new(TelehealthSystems.PatientIdentifier, patientId);

    public static Identifier NhsNumber(string nhsNumber) => new(FhirSystems.NhsNumber, nhsNumber);

    public static Identifier Device(string deviceId) => new(TelehealthSystems.DeviceIdentifier, deviceId);

    /// <summary><c>{deviceId}|{patientId}|{unixMs}|{LOINC}|{value}</c> for one reading (not for BP components).</summary>
    public static Identifier Observation(Reading reading) =>
        ObservationIdentifier(reading.DeviceId, reading.PatientId, reading.DeviceTime, VitalCoding.For(reading.Kind).Loinc, Format(reading.Value));

    /// <summary>
    /// <c>{deviceId}|{patientId}|{unixMs}|85354-9|{systolic}/{diastolic}</c>, an absent component written as '-'.
    /// A lone component therefore has a different identifier from the completed panel (its id stays the same).
    /// </summary>
    public static Identifier BloodPressurePanel(string deviceId, string patientId, DateTimeOffset deviceTime, double? systolic, double? diastolic) =>
        ObservationIdentifier(deviceId, patientId, deviceTime, VitalCoding.BloodPressurePanelLoinc,
            $"{(systolic is { } s ? Format(s) : "-")}/{(diastolic is { } d ? Format(d) : "-")}");

    /// <summary><c>{deviceId}|{patientId}|{unixMs}|{wire name}|true</c>.</summary>
    public static Identifier Observation(TelecareEvent telecareEvent) =>
        ObservationIdentifier(telecareEvent.DeviceId, telecareEvent.PatientId, telecareEvent.DeviceTime, telecareEvent.Type.WireName(), "true");

    /// <summary><c>{device id or staff:username}|{patientId}|{unixMs}|67775-7|{level}</c>.</summary>
    public static Identifier Observation(ConsciousnessObservation observation) =>
        ObservationIdentifier(observation.DeviceId ?? "staff:" + observation.RecordedBy, observation.PatientId, observation.ObservedAt,
            ConsciousnessCoding.Loinc, observation.Level.WireName());

    public static Identifier News2Assessment(string assessmentId) => new(TelehealthSystems.News2AssessmentIdentifier, assessmentId);

    public static Identifier Alert(Guid alertId) => new(TelehealthSystems.AlertIdentifier, alertId.ToString("D"));

    public static Identifier FollowUpCall(Guid alertId) => new(TelehealthSystems.FollowUpCallIdentifier, alertId.ToString("D"));

    public static Identifier Goal(Guid goalId) => new(TelehealthSystems.GoalIdentifier, goalId.ToString("D"));

    /// <summary>One care plan per person: the person's platform id.</summary>
    public static Identifier CarePlan(string patientId) => new(TelehealthSystems.CarePlanIdentifier, patientId);

    /// <summary>Shortest round-trip text, invariant culture (72, 36.6, 5.25).</summary>
    internal static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static Identifier ObservationIdentifier(string deviceId, string patientId, DateTimeOffset deviceTime, string type, string value) =>
        new(TelehealthSystems.ObservationIdentifier,
            string.Create(CultureInfo.InvariantCulture, $"{deviceId}|{patientId}|{deviceTime.ToUnixTimeMilliseconds()}|{type}|{value}"));
}
