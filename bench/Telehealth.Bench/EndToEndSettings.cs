namespace Telehealth.Bench;

/// <summary>Shape of one end-to-end run: K devices (one MQTT client each), messages of 2 readings, W publishes in flight per client.</summary>
/// <param name="LookupCacheTtl">Devices:LookupCacheTtl for the run (null: the platform's default), to measure the cache against none.</param>
/// <param name="Settled">
/// True: one message per device carries a critical SpO2, and the clock runs on past the last PUBACK until every
/// reading is evaluated, every alert event pushed, and a dashboard (SignalR) has an alert for every person.
/// </param>
/// <param name="WarmUpMessagesPerDevice">Before the clock starts, as many other devices (other persons) each send this
/// many messages, one of them critical, and the run waits until they are all evaluated and pushed.</param>
/// <param name="FhirServer">A FHIR server to push to (Fhir:Server); the clock then also runs until the FHIR outbox is
/// drained. Null: the embedded default, which queues nothing for pushing.</param>
public sealed record EndToEndSettings(int Devices, int ReadingsPerDevice, int InFlightPerClient, TimeSpan? LookupCacheTtl = null, bool Settled = false, int WarmUpMessagesPerDevice = 0,
    Uri? FhirServer = null)
{
    public const int ReadingsPerMessage = 2;

    public int MessagesPerDevice => ReadingsPerDevice / ReadingsPerMessage;

    public int TotalReadings => Devices * MessagesPerDevice * ReadingsPerMessage;

    public override string ToString() =>
        $"{Devices} devices x {ReadingsPerDevice} readings ({MessagesPerDevice} messages of {ReadingsPerMessage}), {InFlightPerClient} in flight per client" +
        (LookupCacheTtl is { } ttl ? $", device lookup cache {ttl.TotalSeconds:0} s" : string.Empty) +
        (Settled ? ", clock stops when evaluated and pushed" : string.Empty) +
        (WarmUpMessagesPerDevice > 0 ? $", after a warm-up by {Devices} other devices of {WarmUpMessagesPerDevice} messages each" : string.Empty) +
        (FhirServer is not null ? ", pushing FHIR until the outbox is drained" : string.Empty);
}
