namespace ResiliencePresets;

/// <summary>
/// Renders a request's URL for logs: scheme, host, port and path only. User info, query string and fragment can carry
/// secrets and are left out.
/// </summary>
internal static class SafeUrl
{
    public static string From(Uri? uri) => uri is { IsAbsoluteUri: true }
        ? uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped)
        : "(no URL)";
}
