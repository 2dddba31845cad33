using System.Diagnostics;

namespace Telehealth.Contracts.Diagnostics;

/// <summary>
/// Named places where the crash tests kill the real platform process (SIGKILL, no clean-up), to show that every
/// durable step survives a crash between any two of them. Inert unless the environment variable
/// <c>TELEHEALTH_CRASH_POINT</c> names the point (set only by tests); never configured in production.
/// </summary>
public static class CrashPoints
{
    /// <summary>Readings are stored and queued for evaluation; the device has not been acknowledged.</summary>
    public const string AfterStore = "after-store";

    /// <summary>
    /// Readings are written to InfluxDB; the PostgreSQL care record's admission of them (identities, queue rows) is not
    /// committed, and the device has not been acknowledged (the care record on PostgreSQL with readings in InfluxDB).
    /// </summary>
    public const string StoredNotAdmitted = "stored-not-admitted";

    /// <summary>Evaluation has run (FHIR Observations queued, NEWS2 stored); its alerts are not yet recorded.</summary>
    public const string BeforeAlertCommit = "before-alert-commit";

    /// <summary>Alerts and their events are recorded; nothing has been pushed to staff yet.</summary>
    public const string AfterAlertCommit = "after-alert-commit";

    /// <summary>A rule's wake-up has been moved into the evaluation queue; it has not been evaluated.</summary>
    public const string AfterTimerFired = "after-timer-fired";

    public const string EnvironmentVariable = "TELEHEALTH_CRASH_POINT";

    private static readonly string? Armed = Environment.GetEnvironmentVariable(EnvironmentVariable);

    public static void Reach(string point)
    {
        if (Armed is not null && string.Equals(Armed, point, StringComparison.Ordinal))
        {
            Console.Error.WriteLine($"crash point {point} reached: killing the process");
            Console.Error.Flush();
            // Kill, not Exit: no finally blocks, no flushes, no hosted-service shutdown — what SIGKILL leaves behind.
            Process.GetCurrentProcess().Kill();
            // Kill only sends SIGKILL; until the kernel acts this thread must not run one more step of the durable
            // path (that would make the crash land later than its name says). Never returns: the process is gone.
            Thread.Sleep(Timeout.Infinite);
        }
    }
}
