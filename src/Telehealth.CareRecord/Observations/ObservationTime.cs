using Telehealth.Contracts.Readings;

namespace Telehealth.CareRecord.Observations;

/// <summary>
/// Which time the domain uses for "when was this measured" and therefore for "latest": the device time, capped
/// at the time the platform received it. A device clock a few minutes fast (accepted up to 5 min ahead, H10)
/// would otherwise keep its abnormal reading "latest" after a correctly timed normal one from another device;
/// nothing can be measured after it arrived, so the cap only ever corrects a clock that runs fast. A clock that
/// runs slow is not detectable and is filed as sent. Ties are broken by receive time: the later arrival wins.
/// </summary>
public static class ObservationTime
{
    public static DateTimeOffset Of(DateTimeOffset deviceTime, DateTimeOffset receivedAt) =>
        deviceTime <= receivedAt ? deviceTime : receivedAt;

    public static DateTimeOffset Of(Reading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        return Of(reading.DeviceTime, reading.ReceivedAt);
    }

    /// <summary>True when <paramref name="candidate"/> should replace <paramref name="current"/> as the latest of its kind.</summary>
    public static bool IsNewer(Reading candidate, Reading? current)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        if (current is null)
        {
            return true;
        }
        var (a, b) = (Of(candidate), Of(current));
        return a > b || (a == b && candidate.ReceivedAt > current.ReceivedAt);
    }
}
