namespace Telehealth.Gateway.Diagnostics;

/// <summary>
/// What to do with one refusal: <see cref="Report"/> is true for the first of its kind in a window (log it, record it);
/// <see cref="SuppressedBefore"/> is how many of the same kind were counted but not reported in the window before.
/// </summary>
public readonly record struct RefusalTally(bool Report, int SuppressedBefore);
