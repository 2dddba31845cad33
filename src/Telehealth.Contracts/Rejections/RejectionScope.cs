namespace Telehealth.Contracts.Rejections;

/// <summary>
/// Which rejections a caller may see, applied inside the query. <see cref="Devices"/>: the devices of the caller's team.
/// <see cref="KnownDevices"/>: when set, the caller (an admin) also sees rejections that belong to no known device
/// (no device id, or an id not among these, e.g. <c>unknown_device</c>); a rejection of another team's device never shows.
/// </summary>
public sealed record RejectionScope(IReadOnlyCollection<string> Devices, IReadOnlyCollection<string>? KnownDevices)
{
    public bool IncludesUnattributed => KnownDevices is not null;
}
