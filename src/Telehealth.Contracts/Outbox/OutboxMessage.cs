namespace Telehealth.Contracts.Outbox;

/// <summary>One message to deliver, already serialized: what is sent after a restart is exactly what was decided.</summary>
/// <param name="Subject">Whose record it belongs to (a patient id): delivery order and staff scoping follow it.</param>
/// <param name="Key">The message's identity within its kind (see <see cref="OutboxDedupe"/>).</param>
/// <param name="CorrelationId">What it belongs to besides the subject (an alert id), or null.</param>
/// <param name="Header">The adapter's description of the message as JSON (target, resource type…), safe to list to staff.</param>
/// <param name="Payload">What is sent.</param>
public sealed record OutboxMessage(string Subject, string Key, string? CorrelationId, string Header, string Payload);
