using Telehealth.Contracts.Readings;

namespace Telehealth.Fhir.Mapping;

/// <summary>One Observation to make from readings: a single reading, or a blood-pressure panel of up to two halves.</summary>
internal sealed record ObservationGroup(string Id, Reading? Single, Reading? Systolic, Reading? Diastolic);
