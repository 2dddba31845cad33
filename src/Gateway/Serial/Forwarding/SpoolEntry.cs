namespace Telehealth.Gateway.Serial.Forwarding;

/// <summary>One message waiting in the spool: its sequence number (strictly increasing per device) and what to publish.</summary>
public sealed record SpoolEntry(long Sequence, string Topic, string Payload);
