namespace Telehealth.Clinician.Web.Hosting;

public sealed class InfluxStorageOptions
{
    public string? Url { get; set; }

    public string Database { get; set; } = "telehealth";

    public string? Username { get; set; }

    public string? Password { get; set; }
}
