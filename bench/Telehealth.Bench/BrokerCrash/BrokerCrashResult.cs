namespace Telehealth.Bench.BrokerCrash;

/// <param name="Acknowledged">Readings whose PUBACK the publisher received before the broker was killed.</param>
/// <param name="Stored">Distinct readings the subscriber (standing in for the platform) received, before and after recovery.</param>
/// <param name="Lost">Acknowledged readings never received after recovery.</param>
/// <param name="Duplicates">Deliveries of a reading already received (at-least-once redelivery; the platform's identity check absorbs them).</param>
internal sealed record BrokerCrashResult(
    string Broker, string Scenario, int Sent, int Acknowledged, int Stored, int Lost, int Duplicates, double AckedPerSecond, double RecoverySeconds);
