using System.Globalization;
using Hl7.Fhir.Model;
using Telehealth.CareRecord;
using Telehealth.CareRecord.Alerting;
using Telehealth.CareRecord.News2;
using Telehealth.CareRecord.Thresholds;
using Telehealth.Contracts.Events;
using Telehealth.Contracts.Observations;
using Telehealth.Contracts.Readings;
using Telehealth.CareRecord.Caseload;
using Telehealth.CareRecord.Devices;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Telehealth.Fhir.Mapping;

/// <summary>
/// Domain records → FHIR R4 resources. Pure: no I/O; everything a resource needs is passed in (including the
/// thresholds that were in force when a reading was measured). Resource ids and identifiers are deterministic
/// (<see cref="FhirIds"/>, <see cref="FhirIdentifiers"/>), so mapping the same record twice gives the same resource
/// (idempotent writes). The mapping, codes and choices are documented in docs/fhir.md.
/// </summary>
public sealed class FhirMapper
{
    public Patient ToPatient(PatientRecord patient)
    {
        ArgumentNullException.ThrowIfNull(patient);
        var resource = new Patient
        {
            Id = FhirIds.Patient(patient.Id),
            Identifier = [FhirIdentifiers.Patient(patient.Id)],
            Active = true,
            Name = [new HumanName { Use = HumanName.NameUse.Usual, Text = patient.DisplayName }],
        };
        if (patient.NhsNumber is { } nhsNumber)
        {
            resource.Identifier.Add(FhirIdentifiers.NhsNumber(nhsNumber));
        }
        if (patient.DateOfBirth is { } born)
        {
            resource.BirthDate = born.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }
        return resource;
    }

    public Device ToDevice(DeviceRecord device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var type = new CodeableConcept
        {
            Coding = [new Coding(TelehealthSystems.DeviceTypeCodeSystem, device.Type.WireName(), DeviceLabels.Display(device.Type))],
            Text = DeviceLabels.Display(device.Type),
        };
        var resource = new Device
        {
            Id = FhirIds.Device(device.DeviceId),
            Identifier = [FhirIdentifiers.Device(device.DeviceId)],
            // Revoked or collected: no longer in use by anyone (its earlier Observations still name it).
            Status = device.IsRevoked || !device.IsAssigned ? Device.FHIRDeviceStatus.Inactive : Device.FHIRDeviceStatus.Active,
            SerialNumber = device.Details.SerialNumber ?? device.DeviceId,
            DeviceName = [new Device.DeviceNameComponent { Name = DeviceLabels.Display(device.Type), Type = DeviceNameType.UserFriendlyName }],
            Type = type,
            Patient = device.IsAssigned ? PatientReference(device.PatientId) : null,
        };
        if (device.Details.Model is { } model)
        {
            resource.ModelNumber = model;
        }
        if (device.Details.Firmware is { } firmware)
        {
            resource.Version = [new Device.VersionComponent { Value = firmware }];
        }
        if (DeviceLabels.MdcSpecialization(device.Type) is { } specialization)
        {
            // PHD IG: the 11073-20601 specialization goes in Device.specialization; we add it to type as well, so a
            // reader that only looks at Device.type still sees the standard code.
            type.Coding.Add(specialization);
            resource.Specialization = [new Device.SpecializationComponent { SystemType = new CodeableConcept { Coding = [specialization] } }];
        }
        return resource;
    }

    /// <summary>
    /// Readings → vital-signs Observations. Systolic and diastolic readings of the same device and device time become
    /// one 85354-9 blood-pressure panel; a lone component becomes a panel with the other component absent.
    /// Output order follows the first appearance of each Observation in <paramref name="readings"/>.
    /// </summary>
    /// <param name="thresholdsAt">The patient's thresholds in force at a device time (interpretation, referenceRange).</param>
    /// <param name="sourceTypeOf">The type of the device that measured a reading (by device id), for the IEEE 11073 code of its pulse rate.</param>
    public IReadOnlyList<Observation> ToObservations(
        IReadOnlyList<Reading> readings, Func<Reading, ThresholdSet> thresholdsAt, Func<string, DeviceType?>? sourceTypeOf = null)
    {
        ArgumentNullException.ThrowIfNull(readings);
        ArgumentNullException.ThrowIfNull(thresholdsAt);
        return Group(readings).Select(group => ToObservation(group, thresholdsAt, sourceTypeOf)).ToArray();
    }

    /// <summary>
    /// The Observations <see cref="ToObservations"/> makes, before they are made: one per reading, blood-pressure halves
    /// of one device and device time paired, in the order each first appears.
    /// </summary>
    internal static IReadOnlyList<ObservationGroup> Group(IReadOnlyList<Reading> readings)
    {
        var order = new List<string>();
        var singles = new Dictionary<string, Reading>(StringComparer.Ordinal);
        var panels = new Dictionary<string, (Reading? Systolic, Reading? Diastolic)>(StringComparer.Ordinal);
        foreach (var reading in readings)
        {
            var id = FhirIds.Observation(reading);
            if (reading.Kind is VitalKind.SystolicBp or VitalKind.DiastolicBp)
            {
                if (!panels.TryGetValue(id, out var pair))
                {
                    order.Add(id);
                }
                // A repeat of the same reading identity is the same reading: the first one stands.
                panels[id] = reading.Kind == VitalKind.SystolicBp
                    ? (pair.Systolic ?? reading, pair.Diastolic)
                    : (pair.Systolic, pair.Diastolic ?? reading);
            }
            else if (singles.TryAdd(id, reading))
            {
                order.Add(id);
            }
        }
        return order
            .Select(id => singles.TryGetValue(id, out var reading)
                ? new ObservationGroup(id, reading, null, null)
                : new ObservationGroup(id, null, panels[id].Systolic, panels[id].Diastolic))
            .ToArray();
    }

    internal static Observation ToObservation(ObservationGroup group, Func<Reading, ThresholdSet> thresholdsAt, Func<string, DeviceType?>? sourceTypeOf) =>
        group.Single is { } reading
            ? VitalObservation(group.Id, reading, thresholdsAt(reading), sourceTypeOf?.Invoke(reading.DeviceId))
            : BloodPressurePanel(group.Id, group.Systolic, group.Diastolic, thresholdsAt);

    public Observation ToObservation(TelecareEvent telecareEvent)
    {
        ArgumentNullException.ThrowIfNull(telecareEvent);
        var wireName = telecareEvent.Type.WireName();
        var display = TelecareEventLabels.Display(telecareEvent.Type);
        var category = new List<CodeableConcept>
        {
            new(TelehealthSystems.ObservationCategoryCodeSystem, "telecare-event", "Telecare event"),
        };
        if (TelecareEventLabels.IsPersonActivity(telecareEvent.Type))
        {
            category.Add(new CodeableConcept(FhirSystems.ObservationCategory, "activity", "Activity"));
        }
        return new Observation
        {
            Id = FhirIds.Observation(telecareEvent),
            Identifier = [FhirIdentifiers.Observation(telecareEvent)],
            Status = ObservationStatus.Final,
            Category = category,
            Code = new CodeableConcept(TelehealthSystems.TelecareEventCodeSystem, wireName, display, display),
            Subject = PatientReference(telecareEvent.PatientId),
            Effective = Instant(telecareEvent.DeviceTime),
            Device = DeviceReference(telecareEvent.DeviceId),
            // The event happened: the code says what, the value that it was detected.
            Value = new FhirBoolean(true),
        };
    }

    /// <summary>
    /// An ACVPU assessment → Observation (LOINC 67775-7, category exam: an assessment of the person, not one of the
    /// FHIR vital-signs profile's measurements). Staff-recorded ones name the staff member in performer (display);
    /// device-reported ones reference the device.
    /// </summary>
    public Observation ToObservation(ConsciousnessObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        var resource = new Observation
        {
            Id = FhirIds.Observation(observation),
            Identifier = [FhirIdentifiers.Observation(observation)],
            Status = ObservationStatus.Final,
            Category = [new CodeableConcept(FhirSystems.ObservationCategory, "exam", "Exam")],
            Code = new CodeableConcept(FhirSystems.Loinc, ConsciousnessCoding.Loinc, ConsciousnessCoding.LoincDisplay, "Consciousness (ACVPU)"),
            Subject = PatientReference(observation.PatientId),
            Effective = Instant(observation.ObservedAt),
            Value = ConsciousnessCoding.Value(observation.Level),
        };
        if (observation.DeviceId is { } deviceId)
        {
            resource.Device = DeviceReference(deviceId);
        }
        else
        {
            resource.Performer = [new ResourceReference { Display = observation.RecordedBy }];
        }
        // Anything but Alert scores 3 in NEWS2: flag it abnormal, as a reading outside its thresholds would be.
        resource.Interpretation = [new CodeableConcept(FhirSystems.ObservationInterpretation,
            observation.Level == AcvpuLevel.Alert ? "N" : "A", observation.Level == AcvpuLevel.Alert ? "Normal" : "Abnormal")];
        return resource;
    }

    public RiskAssessment ToRiskAssessment(News2Assessment assessment)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        var score = assessment.Score;
        var (probability, probabilityDisplay) = News2RiskLabels.RiskProbability(score.Risk);
        var resource = new RiskAssessment
        {
            Id = FhirIds.RiskAssessment(assessment.Id),
            Identifier = [FhirIdentifiers.News2Assessment(assessment.Id)],
            Status = ObservationStatus.Final,
            Code = new CodeableConcept(FhirSystems.Snomed, News2RiskLabels.TotalScoreSnomed, News2RiskLabels.TotalScoreDisplay, "NEWS2"),
            Method = new CodeableConcept { Text = $"NEWS2 (Royal College of Physicians 2017), SpO2 scale {(int)assessment.Scale}, from home device readings" },
            Subject = PatientReference(assessment.PatientId),
            Occurrence = Instant(assessment.ObservedAt),
            Basis = assessment.Basis
                .Select(FhirIds.Observation)
                .Distinct(StringComparer.Ordinal)
                .Select(id => new ResourceReference($"Observation/{id}"))
                .ToList(),
            Prediction =
            [
                new RiskAssessment.PredictionComponent
                {
                    QualitativeRisk = new CodeableConcept
                    {
                        Coding =
                        [
                            new Coding(FhirSystems.RiskProbability, probability, probabilityDisplay),
                            new Coding(TelehealthSystems.News2RiskCodeSystem, News2RiskLabels.Code(score.Risk), News2RiskLabels.Display(score.Risk)),
                        ],
                        Text = News2RiskLabels.Display(score.Risk),
                    },
                    Rationale = News2RiskLabels.Rationale(score.Risk),
                },
            ],
            Note = [new Annotation { Text = News2RiskLabels.Summary(score) }],
            Extension =
            [
                new Extension(TelehealthSystems.News2TotalScoreExtension, new Integer(score.Total)),
                new Extension(TelehealthSystems.News2PartialExtension, new FhirBoolean(score.IsPartial)),
                new Extension(TelehealthSystems.News2ScaleExtension, new Integer((int)assessment.Scale)),
            ],
        };
        foreach (var parameter in score.Missing)
        {
            resource.Extension.Add(new Extension(TelehealthSystems.News2MissingParameterExtension,
                new Coding(TelehealthSystems.News2ParameterCodeSystem, News2RiskLabels.ParameterCode(parameter), News2RiskLabels.ParameterDisplay(parameter))));
        }
        return resource;
    }

    public Flag ToFlag(AlertCase alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return new Flag
        {
            Id = FhirIds.Flag(alert.Id),
            Identifier = [FhirIdentifiers.Alert(alert.Id)],
            Status = alert.IsResolved ? Flag.FlagStatus.Inactive : Flag.FlagStatus.Active,
            Category = [new CodeableConcept(FhirSystems.FlagCategory, "clinical", "Clinical")],
            Code = new CodeableConcept(TelehealthSystems.ConditionKeyCodeSystem, alert.ConditionKey, null, alert.Reason),
            Subject = PatientReference(alert.PatientId),
            Period = new Period
            {
                Start = DateTimeText(alert.RaisedAt),
                End = ClosedAt(alert) is { } closedAt ? DateTimeText(closedAt) : null,
            },
        };
    }

    /// <summary>
    /// The follow-up call task for a red flag that needs one; null when the alert needs no call. A call is needed
    /// for every telecare event alert, every NEWS2 alert, and any alert of severity High or Critical; a Low/Medium
    /// threshold alert (one reading just outside the person's usual band) is left to the dashboard.
    /// </summary>
    public FhirTask? ToTask(AlertCase alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        if (!NeedsFollowUpCall(alert))
        {
            return null;
        }
        var task = new FhirTask
        {
            Id = FhirIds.Task(alert.Id),
            Identifier = [FhirIdentifiers.FollowUpCall(alert.Id)],
            Status = TaskStatusOf(alert),
            Intent = FhirTask.TaskIntent.Order,
            Priority = PriorityOf(alert.Severity),
            Code = new CodeableConcept(TelehealthSystems.TaskCodeSystem, "follow-up-call", "Follow-up call", "Follow-up call"),
            Description = $"Call the person about: {alert.Reason}",
            Focus = new ResourceReference($"Flag/{FhirIds.Flag(alert.Id)}"),
            For = PatientReference(alert.PatientId),
            AuthoredOn = DateTimeText(alert.RaisedAt),
            LastModified = DateTimeText(alert.UpdatedAt),
        };
        if (alert.AcknowledgedAt is { } acknowledgedAt)
        {
            task.ExecutionPeriod = new Period
            {
                Start = DateTimeText(acknowledgedAt),
                End = ClosedAt(alert) is { } closedAt ? DateTimeText(closedAt) : null,
            };
        }
        // The Task follows the calls: one note per attempt with its outcome and actions (codes only; staff notes stay
        // in the platform, they may hold values or names). An escalation after unreached calls re-opens the alert, so
        // the Task goes back to requested.
        foreach (var call in alert.Calls ?? [])
        {
            var text = $"Call {call.Number}: {Contracts.WireNames.Of(call.Outcome)}"
                + (call.Actions.Count > 0 ? "; " + string.Join(", ", call.Actions.Select(CareRecord.FollowUp.CallActions.Of)) : "")
                + (call.RetryAt is { } retry ? $"; retry at {DateTimeText(retry)}" : "")
                + (call.Escalated ? "; not reached, escalated" : "");
            task.Note.Add(new Annotation
            {
                Author = new FhirString(call.By),
                Time = DateTimeText(call.At),
                Text = new Markdown(text),
            });
        }
        return task;
    }

    /// <summary>Which alerts get a follow-up call Task (see <see cref="ToTask"/>).</summary>
    public static bool NeedsFollowUpCall(AlertCase alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return alert.Severity >= AlertSeverity.High
            || alert.ConditionKey.StartsWith("event:", StringComparison.Ordinal)
            || alert.ConditionKey == CareRecord.Rules.ConditionKeys.News2;
    }

    public static FhirTask.TaskStatus TaskStatusOf(AlertCase alert) => alert.Status switch
    {
        AlertCaseStatus.Resolved => FhirTask.TaskStatus.Completed,
        AlertCaseStatus.Acknowledged or AlertCaseStatus.InFollowUp => FhirTask.TaskStatus.InProgress,
        _ => FhirTask.TaskStatus.Requested,
    };

    public static RequestPriority PriorityOf(AlertSeverity severity) => severity switch
    {
        AlertSeverity.Critical => RequestPriority.Stat,
        AlertSeverity.High => RequestPriority.Asap,
        AlertSeverity.Medium => RequestPriority.Urgent,
        _ => RequestPriority.Routine,
    };

    // ── Observations ────────────────────────────────────────────────────────────────────────────────

    private static Observation VitalObservation(string id, Reading reading, ThresholdSet thresholds, DeviceType? sourceType)
    {
        var coding = VitalCoding.For(reading.Kind, sourceType);
        var observation = NewMeasurement(id, FhirIdentifiers.Observation(reading), reading.PatientId, reading.DeviceId, reading.DeviceTime, coding.Category, coding.Profile);
        observation.Code = Code(coding);
        SetValue(reading, coding, thresholds, observation);
        return observation;
    }

    private static Observation BloodPressurePanel(string id, Reading? systolic, Reading? diastolic, Func<Reading, ThresholdSet> thresholdsAt)
    {
        var any = systolic ?? diastolic ?? throw new InvalidOperationException("A blood-pressure panel needs at least one component.");
        var observation = NewMeasurement(id,
            FhirIdentifiers.BloodPressurePanel(any.DeviceId, any.PatientId, any.DeviceTime, systolic?.Value, diastolic?.Value),
            any.PatientId, any.DeviceId, any.DeviceTime, "vital-signs", VitalCoding.BloodPressureProfile);
        observation.Code = new CodeableConcept
        {
            Coding =
            [
                new Coding(FhirSystems.Loinc, VitalCoding.BloodPressurePanelLoinc, "Blood pressure panel with all children optional"),
                new Coding(FhirSystems.Mdc, VitalCoding.BloodPressurePanelMdc, "MDC_PRESS_BLD_NONINV"),
            ],
            Text = "Blood pressure",
        };
        // obs-7: the panel's own code is not a component code, but it still carries no value of its own; vs-2 is
        // satisfied by the components.
        observation.Component =
        [
            BloodPressureComponent(VitalKind.SystolicBp, systolic, thresholdsAt),
            BloodPressureComponent(VitalKind.DiastolicBp, diastolic, thresholdsAt),
        ];
        return observation;
    }

    private static Observation.ComponentComponent BloodPressureComponent(VitalKind kind, Reading? reading, Func<Reading, ThresholdSet> thresholdsAt)
    {
        var coding = VitalCoding.For(kind);
        var component = new Observation.ComponentComponent { Code = Code(coding) };
        if (reading is null)
        {
            // The cuff sent only the other half of the pair; the value may exist on the device but we do not have it.
            component.DataAbsentReason = new CodeableConcept(FhirSystems.DataAbsentReason, "unknown", "Unknown");
            return component;
        }
        if (!double.IsFinite(reading.Value))
        {
            component.DataAbsentReason = NonFiniteReason(reading.Value);
            return component;
        }
        component.Value = Quantity(reading.Value, coding);
        var thresholds = thresholdsAt(reading);
        if (thresholds.For(kind) is { } threshold)
        {
            component.Interpretation = [Interpretation(threshold.Classify(reading.Value))];
            if (ReferenceRange(threshold, thresholds.IsPersonal(kind), coding) is { } range)
            {
                component.ReferenceRange = [range];
            }
        }
        return component;
    }

    private static void SetValue(Reading reading, VitalCoding coding, ThresholdSet thresholds, Observation observation)
    {
        if (!double.IsFinite(reading.Value))
        {
            observation.DataAbsentReason = NonFiniteReason(reading.Value);
            return;
        }
        observation.Value = Quantity(reading.Value, coding);
        if (thresholds.For(reading.Kind) is { } threshold)
        {
            observation.Interpretation = [Interpretation(threshold.Classify(reading.Value))];
            if (ReferenceRange(threshold, thresholds.IsPersonal(reading.Kind), coding) is { } range)
            {
                observation.ReferenceRange = [range];
            }
        }
    }

    private static Observation NewMeasurement(string id, Identifier identifier, string patientId, string deviceId, DateTimeOffset deviceTime, string category, string? profile)
    {
        var observation = new Observation
        {
            Id = id,
            Identifier = [identifier],
            Status = ObservationStatus.Final,
            Category = [new CodeableConcept(FhirSystems.ObservationCategory, category, category == "vital-signs" ? "Vital Signs" : "Laboratory")],
            Subject = PatientReference(patientId),
            Effective = Instant(deviceTime),
            // Measured by the person at home on their own device.
            Performer = [PatientReference(patientId)],
            Device = DeviceReference(deviceId),
        };
        if (profile is not null)
        {
            observation.Meta = new Meta { Profile = [FhirSystems.VitalSignsProfile, profile] };
        }
        return observation;
    }

    private static CodeableConcept Code(VitalCoding coding)
    {
        var concept = new CodeableConcept { Coding = [new Coding(FhirSystems.Loinc, coding.Loinc, coding.LoincDisplay)], Text = coding.Text };
        if (coding.SecondLoinc is not null)
        {
            concept.Coding.Add(new Coding(FhirSystems.Loinc, coding.SecondLoinc, coding.SecondLoincDisplay));
        }
        if (coding.Mdc is not null)
        {
            concept.Coding.Add(new Coding(FhirSystems.Mdc, coding.Mdc, coding.MdcDisplay));
        }
        return concept;
    }

    private static Quantity Quantity(double value, VitalCoding coding) => new()
    {
        Value = (decimal)value,
        Unit = coding.UnitDisplay,
        System = FhirSystems.Ucum,
        Code = coding.UcumCode,
    };

    private static Observation.ReferenceRangeComponent? ReferenceRange(VitalThreshold threshold, bool personal, VitalCoding coding)
    {
        if (threshold is { Low: null, High: null, CriticalLow: null, CriticalHigh: null })
        {
            return null;
        }
        return new Observation.ReferenceRangeComponent
        {
            Low = threshold.Low is { } low ? SimpleQuantity(low, coding) : null,
            High = threshold.High is { } high ? SimpleQuantity(high, coding) : null,
            Text = ThresholdText(threshold, personal, coding),
        };
    }

    internal static string ThresholdText(VitalThreshold threshold, bool personal, VitalCoding coding)
    {
        var bounds = new (string Name, double? Value)[]
        {
            ("critical low", threshold.CriticalLow), ("low", threshold.Low), ("high", threshold.High), ("critical high", threshold.CriticalHigh),
        };
        var listed = string.Join(", ", bounds.Where(b => b.Value is not null).Select(b => $"{b.Name} {FhirIdentifiers.Format(b.Value!.Value)} {coding.UnitDisplay}"));
        return $"{(personal ? "Personal" : "Platform default")} alert thresholds: {listed}";
    }

    private static Quantity SimpleQuantity(double value, VitalCoding coding) => new()
    {
        Value = (decimal)value,
        Unit = coding.UnitDisplay,
        System = FhirSystems.Ucum,
        Code = coding.UcumCode,
    };

    private static CodeableConcept Interpretation(Interpretation interpretation)
    {
        var (code, display) = InterpretationCode(interpretation);
        return new CodeableConcept(FhirSystems.ObservationInterpretation, code, display, display);
    }

    internal static (string Code, string Display) InterpretationCode(Interpretation interpretation) => interpretation switch
    {
        CareRecord.Thresholds.Interpretation.Normal => ("N", "Normal"),
        CareRecord.Thresholds.Interpretation.Low => ("L", "Low"),
        CareRecord.Thresholds.Interpretation.High => ("H", "High"),
        CareRecord.Thresholds.Interpretation.CriticalLow => ("LL", "Critical low"),
        CareRecord.Thresholds.Interpretation.CriticalHigh => ("HH", "Critical high"),
        _ => throw new ArgumentOutOfRangeException(nameof(interpretation), interpretation, null),
    };

    private static CodeableConcept NonFiniteReason(double value)
    {
        var (code, display) = double.IsNaN(value) ? ("not-a-number", "Not a Number (NaN)")
            : value > 0 ? ("positive-infinity", "Positive Infinity (PINF)")
            : ("negative-infinity", "Negative Infinity (NINF)");
        return new CodeableConcept(FhirSystems.DataAbsentReason, code, display);
    }

    // ── Shared ──────────────────────────────────────────────────────────────────────────────────────

    private static ResourceReference PatientReference(string patientId) => new($"Patient/{FhirIds.Patient(patientId)}");

    private static ResourceReference DeviceReference(string deviceId) => new($"Device/{FhirIds.Device(deviceId)}");

    private static FhirDateTime Instant(DateTimeOffset at) => new(DateTimeText(at));

    /// <summary>UTC with milliseconds: device times are kept to the millisecond, and ids use the same milliseconds.</summary>
    internal static string DateTimeText(DateTimeOffset at) =>
        at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A resolved alert ended when it was resolved.</summary>
    private static DateTimeOffset? ClosedAt(AlertCase alert) => alert.IsResolved ? alert.ResolvedAt ?? alert.UpdatedAt : null;
}
