namespace Telehealth.Contracts.Rejections;

/// <summary>Reason codes for refused input. Stable strings: staff filter on them and docs list them.</summary>
public static class RejectionReasons
{
    public const string MalformedJson = "malformed_json";
    public const string NotSenml = "not_senml";
    public const string UnknownName = "unknown_name";
    public const string UnknownUnit = "unknown_unit";
    public const string NotANumber = "not_a_number";

    /// <summary>A coded value outside its vocabulary (an ACVPU level other than alert, new_confusion, voice, pain, unresponsive).</summary>
    public const string UnknownValue = "unknown_value";
    public const string Implausible = "implausible_value";
    public const string FutureTimestamp = "future_timestamp";
    public const string StaleTimestamp = "stale_timestamp";
    public const string PayloadTooLarge = "payload_too_large";
    public const string UnknownDevice = "unknown_device";
    /// <summary>Nobody had the device at the record's device time (not yet issued again after it was collected).</summary>
    public const string DeviceNotAssigned = "device_not_assigned";

    /// <summary>The device was revoked by staff: refused at connect and any message still arriving is refused.</summary>
    public const string DeviceRevoked = "device_revoked";

    /// <summary>A reading or event the device's type does not send (an oximeter sending a blood pressure or a pendant press).</summary>
    public const string NotAllowedForDeviceType = "not_allowed_for_device_type";

    /// <summary>The device sent more messages than its rate allows (Devices:MessagesPerSecond, Devices:Burst).</summary>
    public const string RateLimited = "rate_limited";
    public const string BadCredentials = "bad_credentials";
    public const string NotAuthorized = "not_authorized";
    public const string UnknownTopic = "unknown_topic";
    public const string UnknownEvent = "unknown_event";
    public const string InvalidStatus = "invalid_status";
    public const string StorageFailure = "storage_failure";

    /// <summary>
    /// Two records with the same identity (device, kind, device time) but different values, in one message or against
    /// a stored reading. Which value is true cannot be known, so the newcomer is refused (a stored value is never
    /// replaced); identical repeats are accepted as duplicates.
    /// </summary>
    public const string ConflictingDuplicate = "conflicting_duplicate";

    /// <summary>
    /// The reading store would not hold the reading (InfluxDB dropped it from a partial write: older than its retention
    /// policy keeps, a field type conflict). Not stored and not retried; the detail carries the store's reason.
    /// </summary>
    public const string StoreRefused = "store_refused";

    // Refused at the MQTT edge, before or while connecting (docs/device-api.md, docs/architecture.md threat model).
    public const string ClientIdNotBound = "client_id_not_bound";
    public const string TooManySessions = "too_many_sessions";
    public const string PacketTooLarge = "packet_too_large";
    public const string MalformedPacket = "malformed_packet";
    public const string ConnectTimeout = "connect_timeout";
    public const string TooManyConnections = "too_many_connections";
    public const string TooManyConnectAttempts = "too_many_connect_attempts";
}
