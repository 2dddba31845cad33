namespace Telehealth.CareRecord.Figures;

/// <summary>
/// One planned reading of one person over the period: how many daily windows closed, and in how many a reading of
/// that kind came (late ones count for their own window only if they arrived before it closed).
/// </summary>
public sealed record PersonAdherence(string PatientId, string ConditionKey, int WindowsClosed, int WindowsWithReading)
{
    public double? Share => WindowsClosed == 0 ? null : (double)WindowsWithReading / WindowsClosed;
}
