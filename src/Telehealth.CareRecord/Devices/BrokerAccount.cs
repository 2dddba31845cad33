namespace Telehealth.CareRecord.Devices;

/// <summary>A device's account on an external broker: its id as username and its secret as mosquitto stores it (PBKDF2-SHA512).</summary>
public sealed record BrokerAccount(string DeviceId, string MosquittoPasswordHash);
