namespace Telehealth.Clinician.Web.Hosting;

/// <summary>Takes the bare `--demo` flag out of the arguments: the configuration command-line parser wants key=value pairs.</summary>
public static class DemoSwitch
{
    public static string[] Apply(string[] args, out bool demo)
    {
        demo = args.Contains("--demo", StringComparer.Ordinal);
        return args.Where(a => a != "--demo").ToArray();
    }
}
