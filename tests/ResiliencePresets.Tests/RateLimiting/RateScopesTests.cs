using System.Globalization;

namespace ResiliencePresets.Tests.RateLimiting;

public sealed class RateScopesTests
{
    private readonly RateScopes _scopes = new();

    [Fact]
    public void For_BeforeAnyResponseTaughtAScope_IsNotEngagedAndHoldsNothing()
    {
        Assert.False(_scopes.IsEngaged);
        Assert.Equal((null, 0), Held("https://api.github.com/repos/a/b"));
    }

    [Fact]
    public void Learn_ResponseNamingNoLimit_TeachesItsAuthoritysScope_WhichHoldsEveryPathThere()
    {
        var scope = _scopes.Learn(new Uri("https://api.test/v1/chat"), null);

        Assert.True(_scopes.IsEngaged);
        Assert.Equal(("api.test", null), (scope.Authority, scope.Name));
        Assert.Same(scope, _scopes.For(new Uri("https://api.test/other/path?x=1")).Authority);
        Assert.Null(_scopes.For(new Uri("https://other.test/v1/chat")).Authority);
        Assert.Null(_scopes.For(new Uri("https://api.test:8443/v1/chat")).Authority);
    }

    [Fact]
    public void Learn_NamedLimit_HoldsRequestsOnTheSameFirstSegmentOnly()
    {
        var search = _scopes.Learn(new Uri("https://api.github.com/search/code?q=secret+token"), "search");

        Assert.Equal(("api.github.com", "search"), (search.Authority, search.Name));
        Assert.Equal([search], _scopes.For(new Uri("https://api.github.com/search/issues")).Limits);
        Assert.Equal([search], _scopes.For(new Uri("https://api.github.com/search")).Limits);
        Assert.Empty(_scopes.For(new Uri("https://api.github.com/repos/acme/widgets")).Limits);
        Assert.Empty(_scopes.For(new Uri("https://api.github.com/graphql")).Limits);
        Assert.Empty(_scopes.For(new Uri("https://api.github.com/searching")).Limits);
        Assert.Empty(_scopes.For(new Uri("https://other.test/search/issues")).Limits);
    }

    [Fact]
    public void Learn_SegmentSeenUnderTwoLimits_IsHeldByBoth()
    {
        var search = _scopes.Learn(new Uri("https://api.github.com/search/issues"), "search");
        var codeSearch = _scopes.Learn(new Uri("https://api.github.com/search/code"), "code_search");
        var again = _scopes.Learn(new Uri("https://api.github.com/search/users"), "search");

        Assert.Same(search, again);
        Assert.Equal([search, codeSearch], _scopes.For(new Uri("https://api.github.com/search/commits")).Limits);
    }

    [Theory]
    [InlineData("http://api.test/v1", true)]
    [InlineData("https://api.test:443/v1", true)]
    [InlineData("http://api.test:80/v1", true)]
    [InlineData("https://API.TEST/v1", true)]
    [InlineData("http://api.test:443/v1", false)]
    [InlineData("https://api.test:8443/v1", false)]
    public void For_TheSameHostOnItsSchemesDefaultPort_IsTheSameScope(string uri, bool same)
    {
        var scope = _scopes.Learn(new Uri("https://api.test/v1/chat"), null);

        Assert.Equal(same, ReferenceEquals(scope, _scopes.For(new Uri(uri)).Authority));
    }

    [Fact]
    public void Learn_NamedLimit_IsPerAuthority()
    {
        var first = _scopes.Learn(new Uri("https://a.test/search"), "search");
        var second = _scopes.Learn(new Uri("https://b.test/search"), "search");

        Assert.NotSame(first, second);
        Assert.Equal([second], _scopes.For(new Uri("https://b.test/search")).Limits);
    }

    [Fact]
    public void Learn_MoreLimitsThanTheBound_TeachTheAuthoritysScopeInstead()
    {
        var authority = _scopes.Learn(new Uri("https://api.test/x"), null);
        for (var i = 1; i < RateScopes.MaxScopes; i++)
        {
            Assert.Equal(Name(i), _scopes.Learn(new Uri($"https://api.test/p{i}"), Name(i)).Name);
        }

        var past = _scopes.Learn(new Uri("https://api.test/last"), "one-too-many");

        Assert.Same(authority, past);
        Assert.Equal(RateScopes.MaxScopes + 1, _scopes.All.Count());
    }

    [Fact]
    public void Learn_MoreAuthoritiesThanTheBound_ShareOneOverflowScope()
    {
        for (var i = 0; i < RateScopes.MaxScopes; i++)
        {
            _scopes.Learn(new Uri($"https://h{i}.test/"), null);
        }

        var first = _scopes.Learn(new Uri("https://late-1.test/"), null);
        var second = _scopes.Learn(new Uri("https://late-2.test/"), "search");

        Assert.Same(first, second);
        Assert.Equal((string.Empty, null), (first.Authority, first.Name));
        Assert.Same(first, _scopes.For(new Uri("https://never-seen.test/")).Authority);
    }

    [Fact]
    public void Learn_MoreSegmentsThanTheBound_TeachTheAuthoritysScopeInstead()
    {
        var authority = _scopes.Learn(new Uri("https://api.test/"), null);
        for (var i = 0; i < RateScopes.MaxRoutes; i++)
        {
            Assert.Equal("tenant", _scopes.Learn(new Uri($"https://api.test/t{i}/items"), "tenant").Name);
        }

        Assert.Same(authority, _scopes.Learn(new Uri("https://api.test/one-more/items"), "tenant"));
        Assert.Equal("tenant", _scopes.Learn(new Uri("https://api.test/t0/other"), "tenant").Name);
    }

    [Fact]
    public void Learn_LongSegment_IsRememberedByItsFirstCharacters()
    {
        var prefix = new string('a', RateScopes.MaxSegmentLength);
        var scope = _scopes.Learn(new Uri($"https://api.test/{prefix}-one/x"), "long");

        Assert.Equal([scope], _scopes.For(new Uri($"https://api.test/{prefix}-two/y")).Limits);
    }

    [Fact]
    public void Learn_NoAbsoluteUri_TeachesTheOverflowScope()
    {
        var scope = _scopes.Learn(null, "search");

        Assert.Equal((string.Empty, null), (scope.Authority, scope.Name));
        Assert.Same(scope, _scopes.For(null).Authority);
        Assert.Same(scope, _scopes.For(new Uri("/relative", UriKind.Relative)).Authority);
    }

    [Fact]
    public void LongestPause_IsTheLongestOfAnyScope()
    {
        var now = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
        _scopes.Learn(new Uri("https://api.test/a"), null).Pause.Extend(now, TimeSpan.FromSeconds(2));
        _scopes.Learn(new Uri("https://api.test/search"), "search").Pause.Extend(now, TimeSpan.FromSeconds(9));

        Assert.Equal(TimeSpan.FromSeconds(9), _scopes.LongestPause(now));
        Assert.Equal(TimeSpan.Zero, _scopes.LongestPause(now.AddSeconds(10)));
    }

    private static string Name(int i) => "limit" + i.ToString(CultureInfo.InvariantCulture);

    private (string? Authority, int Limits) Held(string uri)
    {
        var (authority, limits) = _scopes.For(new Uri(uri));
        return (authority?.Authority, limits.Length);
    }
}
