using Refit;

namespace ResiliencePresets.Tests.Clients;

/// <summary>The Refit interface of the Refit recipe: a read and a payment.</summary>
public interface IItemsApi
{
    [Get("/items/{id}")]
    Task<string> GetItem(string id);

    [Get("/items/{id}")]
    Task<string> GetItem(string id, CancellationToken cancellationToken);

    [Post("/charges")]
    Task<string> Charge([Body] ItemCharge charge);

    [Post("/uploads")]
    Task<string> Upload([Body] Stream body);
}
