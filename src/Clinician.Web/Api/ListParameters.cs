namespace Telehealth.Clinician.Web.Api;

/// <summary>
/// The checks every list endpoint makes on <c>limit</c> and on a <c>from</c>/<c>to</c> range, in one place so that they
/// all answer alike. A <c>limit</c> below 1 and a range whose <c>from</c> is after its <c>to</c> are refused with a
/// <c>400</c> that names the parameter: until 27 November 2026 <c>?limit=0</c> or <c>-1</c> answered one item and a
/// reversed range an empty list, which a caller reads as "this person has one reading" or "no readings", not as its
/// own mistake. A <c>limit</c> above an endpoint's ceiling is still cut to the ceiling (documented per endpoint):
/// asking for more than a page holds is a reasonable request, answered with the page.
/// </summary>
internal static class ListParameters
{
    /// <summary>A <c>400</c> naming what is wrong with the paging and range, or null when nothing is.</summary>
    public static IResult? Refusal(int? limit, DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        var problems = new Dictionary<string, string[]>();
        if (limit < 1)
        {
            problems["limit"] = [$"limit must be at least 1 (was {limit})."];
        }
        if (from > to)
        {
            problems["from"] = ["from must not be after to."];
        }
        return problems.Count > 0 ? Results.ValidationProblem(problems) : null;
    }
}
