namespace ResiliencePresets;

/// <summary>
/// One member of a Structured Fields List or Dictionary, checked against RFC 9651 before any of it is read: a list
/// member is a bare item and its parameters (<c>"default";r=50;t=30</c>), a dictionary member a key, <c>=</c>, a bare
/// item and its parameters (<c>remaining=0</c>).
/// </summary>
/// <remarks>
/// <para>Parameters are <c>;</c>, optional spaces, a key, and optionally <c>=</c> and a bare item
/// (<see cref="StructuredFieldItem"/>); a key without a value is the boolean true. There is no whitespace before a
/// <c>;</c> or on either side of a <c>=</c>, and nothing after the last parameter.</para>
/// <para>A key not followed by <c>=</c> is a token, so <c>default;r=3</c> is a list member either way. Inner lists
/// (<c>(a b)</c>) are not read: a member holding one does not parse.</para>
/// </remarks>
internal readonly ref struct StructuredFieldMember
{
    private readonly ReadOnlySpan<char> _parameters;

    private StructuredFieldMember(ReadOnlySpan<char> key, ReadOnlySpan<char> item, ReadOnlySpan<char> parameters)
    {
        Key = key;
        Item = item;
        _parameters = parameters;
    }

    /// <summary>Gets a dictionary member's key; empty for a list member.</summary>
    public ReadOnlySpan<char> Key { get; }

    /// <summary>Gets a list member's bare item, or a dictionary member's value.</summary>
    public ReadOnlySpan<char> Item { get; }

    /// <summary>Gets the member's parameters, in the order sent.</summary>
    public ParameterEnumerator Parameters => new(_parameters);

    /// <summary>
    /// Checks one member (as <see cref="StructuredFieldList"/> hands it out) against the grammar; one that does not
    /// parse gives <see langword="false"/> and nothing of it can be read.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, out StructuredFieldMember member)
    {
        member = default;
        var end = StructuredFieldList.IndexOfSeparator(text, ';');
        var head = end < 0 ? text : text[..end];
        var parameters = end < 0 ? [] : text[end..];

        ReadOnlySpan<char> key = [];
        var item = head;
        var equals = head.IndexOf('=');
        if (equals > 0 && StructuredFieldItem.IsKey(head[..equals]))
        {
            key = head[..equals];
            item = head[(equals + 1)..];
        }

        if (!StructuredFieldItem.IsBareItem(item))
        {
            return false;
        }

        var each = new ParameterEnumerator(parameters);
        while (each.MoveNext())
        {
            if (!each.IsValid)
            {
                return false;
            }
        }

        member = new StructuredFieldMember(key, item, parameters);
        return true;
    }

    /// <summary>Walks a member's parameters: each <c>;key</c> or <c>;key=item</c>.</summary>
    public ref struct ParameterEnumerator
    {
        private ReadOnlySpan<char> _rest;
        private bool _hasValue;

        public ParameterEnumerator(ReadOnlySpan<char> parameters) => _rest = parameters;

        /// <summary>Gets the parameter's key.</summary>
        public ReadOnlySpan<char> Key { get; private set; }

        /// <summary>Gets the parameter's bare item; empty when it has none (the boolean true).</summary>
        public ReadOnlySpan<char> Value { get; private set; }

        /// <summary>Gets a value indicating whether the parameter is a key with, if it has a <c>=</c>, a bare item.</summary>
        public readonly bool IsValid => StructuredFieldItem.IsKey(Key) && (!_hasValue || StructuredFieldItem.IsBareItem(Value));

        public bool MoveNext()
        {
            if (_rest.IsEmpty)
            {
                return false;
            }

            // _rest starts with the ';' that opens this parameter.
            var text = _rest[1..];
            var end = StructuredFieldList.IndexOfSeparator(text, ';');
            var parameter = (end < 0 ? text : text[..end]).TrimStart(' ');
            _rest = end < 0 ? [] : text[end..];

            var equals = parameter.IndexOf('=');
            _hasValue = equals >= 0;
            Key = _hasValue ? parameter[..equals] : parameter;
            Value = _hasValue ? parameter[(equals + 1)..] : [];
            return true;
        }
    }
}
