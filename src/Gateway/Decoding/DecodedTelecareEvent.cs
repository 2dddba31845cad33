using Telehealth.Contracts.Events;

namespace Telehealth.Gateway.Decoding;

/// <param name="DeviceTime">When the device says the event happened, UTC, to the millisecond.</param>
public sealed record DecodedTelecareEvent(TelecareEventType Type, DateTimeOffset DeviceTime);
