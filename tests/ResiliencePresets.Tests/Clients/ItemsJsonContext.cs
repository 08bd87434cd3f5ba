using System.Text.Json.Serialization;

namespace ResiliencePresets.Tests.Clients;

/// <summary>The JSON metadata a source-generated Refit client needs for its bodies.</summary>
[JsonSerializable(typeof(ItemCharge))]
[JsonSerializable(typeof(string))]
public sealed partial class ItemsJsonContext : JsonSerializerContext;
