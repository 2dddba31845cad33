namespace Telehealth.Clinician.Web.Hubs;

/// <summary>
/// Client method names are part of the public API (scripts and integrations subscribe to them), so they are
/// fixed strings rather than derived from a C# interface's PascalCase names.
/// </summary>
public static class AlertsHubMethods
{
    public const string AlertRaised = "alertRaised";
    public const string AlertUpdated = "alertUpdated";
}
