namespace Telehealth.CareRecord.Evaluation.MissingData;

/// <summary>Value-free codes of the "expected and did not come" findings (what logs and the event log carry).</summary>
public static class MissingDataCodes
{
    public const string DeviceSilent = "device_silent";
    public const string ReadingNotReceived = "reading_not_received";
    public const string NoActivity = "no_activity";
    public const string BatteryLow = "battery_low";
}
