namespace Telehealth.Gateway.Mqtt.Edge;

public enum SourceAdmission
{
    Admitted,

    /// <summary>The source already holds its maximum of open connections (or the broker its overall maximum).</summary>
    TooManyConnections,

    /// <summary>The source has used up its connect attempts for now (token bucket empty).</summary>
    TooManyAttempts,
}
