namespace Telehealth.CareRecord.Alerting;

/// <summary>Another writer already holds the not-closed alert for this patient and condition.</summary>
public sealed class DuplicateActiveAlertException(string patientId, string conditionKey, Exception inner)
    : Exception($"Patient {patientId} already has an active alert for {conditionKey}.", inner)
{
    public string PatientId { get; } = patientId;

    public string ConditionKey { get; } = conditionKey;
}
