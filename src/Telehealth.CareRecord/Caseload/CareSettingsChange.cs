using Telehealth.CareRecord.News2;

namespace Telehealth.CareRecord.Caseload;

/// <summary>
/// One change of a person's NEWS2 care settings: who changed them, when and why, with the values before and after.
/// Scale and oxygen change how every later NEWS2 is scored, so each change is a clinical decision kept for audit.
/// </summary>
/// <param name="Sequence">Order of the change for this person, from 1.</param>
public sealed record CareSettingsChange(
    string PatientId,
    int Sequence,
    DateTimeOffset ChangedAt,
    string ChangedBy,
    string Reason,
    News2Scale PreviousScale,
    bool? PreviousOnSupplementalOxygen,
    News2Scale News2Scale,
    bool? OnSupplementalOxygen);
