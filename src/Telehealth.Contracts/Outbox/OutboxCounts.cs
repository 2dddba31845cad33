namespace Telehealth.Contracts.Outbox;

public sealed record OutboxCounts(int Pending, int Sent, int Failed);
