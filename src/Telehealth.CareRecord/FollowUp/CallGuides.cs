using Telehealth.CareRecord.Rules;

namespace Telehealth.CareRecord.FollowUp;

/// <summary>
/// A short call guide per alert kind, for telephone-support staff: what to ask and when to escalate. Prompts, not
/// clinical advice: the team's own protocols decide the response (docs/clinical-safety.md, intended use).
/// </summary>
public static class CallGuides
{
    private static readonly (string Prefix, string Guide)[] Table =
    [
        ("event:fall", "Ask whether they have fallen, are hurt, can get up, and whether anyone is with them. Hurt, unable to get up, confused or no answer: arrange a visit now; serious injury or not breathing normally: call 999."),
        ("event:pendant_press", "Ask why they pressed and whether they are safe. No answer or no clear reason: call their contacts and arrange a visit; an emergency: call 999."),
        ("event:", "Ask what happened and whether they are safe; check the device. Unsure or no answer: call their contacts and arrange a visit."),
        (ConditionKeys.News2, "Ask how they feel compared with usual: breathing, confusion, drowsiness. Ask for a repeat set of readings now. Worse than usual, new confusion or struggling to breathe: inform the clinician on duty; severe: call 999."),
        ("threshold:spo2", "Ask them to rest and repeat the oxygen reading with the probe on a warm finger. Breathless, blue lips or still low: inform the clinician on duty; severe: call 999."),
        ("threshold:heart_rate", "Ask them to rest 5 minutes and repeat the reading. Chest pain, fainting or breathlessness: call 999; otherwise inform the clinician on duty if still out of range."),
        ("threshold:systolic_bp", "Ask them to sit for 5 minutes and repeat the blood pressure. Headache, chest pain, weakness or dizziness: call 999; otherwise inform the clinician on duty if still out of range."),
        ("threshold:diastolic_bp", "Ask them to sit for 5 minutes and repeat the blood pressure. Headache, chest pain, weakness or dizziness: call 999; otherwise inform the clinician on duty if still out of range."),
        ("threshold:body_temperature", "Ask how they feel, about shivering, new confusion or a new cough or pain, and to repeat the temperature. Unwell with a high or low temperature: inform the clinician on duty (sepsis risk)."),
        ("threshold:blood_glucose", "Ask how they feel and to repeat the glucose reading; low and unwell, drowsy or confused: follow their hypo plan and call 999 if they cannot swallow safely."),
        ("threshold:", "Ask how they feel and to repeat the reading. Still out of range or unwell: inform the clinician on duty."),
        ("silence:", "The device has gone quiet. Ask whether they are well and whether the device is switched on, charged and in range. No answer: call their contacts and arrange a check."),
        ("battery:", "Ask them (or their carer) to charge or change the device's battery; arrange a visit if they cannot."),
        ("schedule:", "An expected reading did not come. Ask whether they are well and able to take it; help them take it now."),
        ("inactivity:", "No movement was seen when expected. Ask whether they are well. No answer: call their contacts and arrange a visit now."),
    ];

    public const string Fallback = "Ask how they are and whether anything has changed. Unsure or no answer: call their contacts and inform the clinician on duty.";

    /// <summary>The most specific guide for the alert's condition key (longest matching prefix first).</summary>
    public static string For(string conditionKey)
    {
        ArgumentNullException.ThrowIfNull(conditionKey);
        foreach (var (prefix, guide) in Table)
        {
            if (conditionKey.StartsWith(prefix, StringComparison.Ordinal))
            {
                return guide;
            }
        }
        return Fallback;
    }
}
