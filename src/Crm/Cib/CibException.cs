namespace Cluster.Crm.Cib;

/// <summary>One problem found in a CIB: the element (and id when it has one) and what is wrong.</summary>
public sealed record CibError(string Element, string? Id, string Message, int Line = 0)
{
    public override string ToString()
    {
        var where = Id is null ? $"<{Element}>" : $"<{Element} id=\"{Id}\">";
        return Line > 0 ? $"line {Line}: {where}: {Message}" : $"{where}: {Message}";
    }
}

/// <summary>The CIB could not be read: malformed XML or a structure the model cannot represent.</summary>
public sealed class CibParseException : Exception
{
    public IReadOnlyList<CibError> Errors { get; }

    public CibParseException(string message) : base(message) => Errors = [];

    public CibParseException(string message, Exception inner) : base(message, inner) => Errors = [];

    public CibParseException(IReadOnlyList<CibError> errors)
        : base(string.Join(Environment.NewLine, errors)) => Errors = errors;

    public CibParseException() : base("invalid CIB") => Errors = [];
}
