namespace Telehealth.CareRecord.Instances;

/// <summary>Who holds the named work now: <paramref name="Holder"/> since <paramref name="AcquiredAt"/>, until <paramref name="Until"/> unless renewed.</summary>
public sealed record WorkLease(string Name, string Holder, DateTimeOffset AcquiredAt, DateTimeOffset Until);
