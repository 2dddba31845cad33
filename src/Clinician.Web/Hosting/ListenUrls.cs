using System.Net;
using Microsoft.Extensions.Options;

namespace Telehealth.Clinician.Web.Hosting;

/// <summary>
/// Checks the <c>Urls</c> setting before Kestrel sees it: Kestrel answers a port out of range with an exception that
/// does not name the setting, and a host that is not an IP address (a typo such as 256.1.1.1) with listening on
/// every interface — for a service holding patient data, a wrong setting must stop it instead.
/// </summary>
public static class ListenUrls
{
    public static void Validate(string? urls)
    {
        if (string.IsNullOrWhiteSpace(urls))
        {
            return; // the default (appsettings.json) applies
        }
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Problem(url) is { } problem)
            {
                throw new OptionsValidationException("Urls", typeof(string), [$"Urls: '{Telehealth.Contracts.Diagnostics.UntrustedText.Clip(url, 80)}' {problem}."]);
            }
        }
    }

    private static string? Problem(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0 || url[..schemeEnd] is not ("http" or "https"))
        {
            return "must start with http:// or https://";
        }
        var rest = url[(schemeEnd + 3)..];
        var slash = rest.IndexOf('/');
        var authority = slash < 0 ? rest : rest[..slash];
        string host;
        string? port = null;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']');
            if (close < 0)
            {
                return "has an unclosed IPv6 address";
            }
            host = authority[1..close];
            if (close + 1 < authority.Length)
            {
                if (authority[close + 1] != ':')
                {
                    return "has text after the IPv6 address";
                }
                port = authority[(close + 2)..];
            }
        }
        else
        {
            var colon = authority.LastIndexOf(':');
            host = colon < 0 ? authority : authority[..colon];
            port = colon < 0 ? null : authority[(colon + 1)..];
        }
        if (port is not null && (!int.TryParse(port, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) || number > 65535))
        {
            return "has a port that is not a number from 0 to 65535";
        }
        if (host is not ("localhost" or "*" or "+") && !IPAddress.TryParse(host, out _))
        {
            return "has a host that is not an IP address, localhost, * or + (Kestrel would listen on every interface)";
        }
        return null;
    }
}
