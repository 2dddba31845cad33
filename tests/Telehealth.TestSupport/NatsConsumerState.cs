namespace Telehealth.TestSupport;

/// <summary>A JetStream consumer as nats-server's monitoring endpoint reports it.</summary>
/// <param name="Delivered">Deliveries made (redeliveries included).</param>
/// <param name="AckPending">Delivered and not yet acknowledged.</param>
/// <param name="Redelivered">Messages delivered more than once.</param>
/// <param name="Pending">Stored and not yet delivered.</param>
public sealed record NatsConsumerState(long Delivered, long AckPending, long Redelivered, long Pending);
