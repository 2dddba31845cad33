namespace Telehealth.CareRecord.Devices;

/// <summary>
/// A device's account on an external broker: its id as username and its secret as mosquitto stores it (PBKDF2-SHA512)
/// and, when known, as nats-server stores it (bcrypt; null for a device whose secret predates the column).
/// </summary>
public sealed record BrokerAccount(string DeviceId, string MosquittoPasswordHash, string? NatsPasswordHash = null);
