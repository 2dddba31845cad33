namespace Telehealth.Gateway.Serial.Framing;

/// <summary>Receives one complete frame; the span is only valid during the call.</summary>
public delegate void FrameHandler(ReadOnlySpan<byte> frame);
