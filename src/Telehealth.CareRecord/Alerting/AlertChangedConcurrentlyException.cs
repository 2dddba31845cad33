namespace Telehealth.CareRecord.Alerting;

/// <summary>
/// A commit expected an alert at a version it no longer has: someone (possibly another process on the same database)
/// changed it after it was read. Nothing of the commit was recorded; decide again on the alert as it is now.
/// </summary>
public sealed class AlertChangedConcurrentlyException : Exception
{
    public AlertChangedConcurrentlyException()
    {
    }

    public AlertChangedConcurrentlyException(string message)
        : base(message)
    {
    }

    public AlertChangedConcurrentlyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public AlertChangedConcurrentlyException(Guid alertId, long expectedVersion)
        : base($"Alert {alertId} is no longer at version {expectedVersion}; it was changed after it was read.")
    {
        AlertId = alertId;
        ExpectedVersion = expectedVersion;
    }

    public Guid AlertId { get; }

    public long ExpectedVersion { get; }
}
