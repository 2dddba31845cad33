using Telehealth.Contracts.Events;

namespace Telehealth.Simulation.Scenarios;

/// <summary>A telecare event a script raises at a scenario time.</summary>
public sealed record ScriptedEvent(TelecareEventType Type, TimeSpan At);
