using Telehealth.CareRecord.Observations;

namespace Telehealth.CareRecord.Evaluation;

/// <summary>
/// A rule's persisted memory for one patient (<see cref="RuleState"/>), when it asked to be woken, and — for the
/// rules about one device (silence, battery) — which device, since those rules exist because the device was heard.
/// Written in the same transaction as the alerts the evaluation changed, so a half-met duration or a silence
/// deadline survives any crash or restart.
/// </summary>
/// <param name="Since">When the rule first had state for this patient (a device rule: when the device was first heard).</param>
public sealed record StoredRuleState(string RuleKey, RuleState State, DateTimeOffset? WakeAt, DeviceRef? Device, DateTimeOffset Since);
