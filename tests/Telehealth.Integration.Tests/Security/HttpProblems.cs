namespace Telehealth.Integration.Tests.Security;

internal static class HttpProblems
{
    /// <summary>Fails when a response body carries anything of an exception: a .NET stack frame or an exception type name.</summary>
    public static async Task AssertNoStackTraceAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        Assert.DoesNotContain(".cs:line", body, StringComparison.Ordinal);
    }
}
