namespace Telehealth.Contracts.Devices;

/// <summary>
/// A bcrypt hash (<c>$2a$…</c>) of a device secret, the only password hash nats-server accepts in its configuration.
/// Computed when a secret is issued (the only moment it is known), like <c>MosquittoPasswordHash</c>, so
/// nats-server's authorization file can be written from the registry without ever storing a secret. Kept in the
/// contracts, shared by the registry that stores it and the NATS account sync that hashes the platform's own password;
/// not in the care-record core, which references no third-party library.
/// </summary>
public static class NatsPasswordHash
{
    /// <summary>
    /// bcrypt's lowest cost. The secrets are 256 random bits, so no guessing attack exists for a higher cost to slow;
    /// nats-server pays the cost on every device CONNECT, so a high one would only slow a reconnect storm.
    /// </summary>
    public const int WorkFactor = 4;

    public static string Create(string password) => BCrypt.Net.BCrypt.HashPassword(password, WorkFactor);

    /// <summary>True when <paramref name="password"/> matches a stored bcrypt hash (used by tests of the format).</summary>
    public static bool Verify(string password, string stored) => BCrypt.Net.BCrypt.Verify(password, stored);
}
