using Azure.Core;

namespace ResiliencePresets.Tests.Clients;

/// <summary>The options of the Azure.Core recipe's client, as every Azure SDK client has its own.</summary>
public sealed class WidgetsClientOptions : ClientOptions;
