namespace Telehealth.Alerts.Engine;

/// <summary>
/// What the caller of <see cref="AlertEngine.EvaluatePassAsync(IReadOnlyList{PatientDueItems}, int, EvaluationPassHooks?, CancellationToken)"/>
/// does at two points of a pass: before each group of patients is recorded, and once the alerts are recorded.
/// </summary>
public sealed class EvaluationPassHooks
{
    /// <summary>
    /// Called with each group just before it is recorded (the worker hands the group's stored data to its followers
    /// there); answers, per patient of the group and in its order, null or the failure that leaves that patient's
    /// items due. Null: nothing to do first.
    /// </summary>
    public Func<IReadOnlyList<PatientDueItems>, CancellationToken, Task<IReadOnlyList<Exception?>>>? BeforeRecording { get; init; }

    /// <summary>
    /// Called once, when the patients whose alerts changed are recorded (at once after deciding when there are none),
    /// while the rest of the pass is still to be recorded: from here the pass holds up no alert.
    /// </summary>
    public Action? AlertsRecorded { get; init; }
}
