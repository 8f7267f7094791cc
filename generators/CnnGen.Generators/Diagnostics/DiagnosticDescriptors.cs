using Microsoft.CodeAnalysis;

namespace CnnGen.Generators.Diagnostics;

/// <summary>
/// Every diagnostic CnnGen reports. CNN00xx: declarations; CNN01xx: shapes; CNN02xx: the .cnn
/// language; CNN03xx: code generation. Each has docs/diagnostics/CNNxxxx.md.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "CnnGen";

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    private static DiagnosticDescriptor Warning(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

    // ---- Declarations -------------------------------------------------------------------

    public static readonly DiagnosticDescriptor ClassNotPartial = Error(
        "CNN0001", "Network class must be partial",
        "The network class '{0}' must be declared partial so that CnnGen can add its code: {1}");

    public static readonly DiagnosticDescriptor ClassGeneric = Error(
        "CNN0002", "Network class cannot be generic",
        "The network class '{0}' has type parameters; every size of a network is fixed, so remove the type parameters{1}");

    public static readonly DiagnosticDescriptor MissingInput = Error(
        "CNN0003", "Network has no input",
        "The network '{0}' has no input shape: {1}");

    public static readonly DiagnosticDescriptor DuplicateInput = Error(
        "CNN0004", "Network has more than one input",
        "The network '{0}' declares its input more than once; keep one");

    public static readonly DiagnosticDescriptor NotAClass = Error(
        "CNN0005", "Network must be a class",
        "'{0}' is a {1}; a network must be declared as a partial class");

    public static readonly DiagnosticDescriptor SizeTooSmall = Error(
        "CNN0006", "Size must be at least 1",
        "{0} '{1}' has {2} {3}; it must be at least 1");

    public static readonly DiagnosticDescriptor InvalidInputShape = Error(
        "CNN0007", "Invalid input shape",
        "The {0} shape of '{1}' is ({2}); give 1 to 3 sizes of at least 1: (units), (length, channels) or (height, width, channels) in the network's data format");

    public static readonly DiagnosticDescriptor UnknownInputNetwork = Error(
        "CNN0008", "Unknown input network",
        "The network '{0}' takes its input from '{1}', which is not a network: declare '{1}' with [Network] or in a .cnn file");

    public static readonly DiagnosticDescriptor InputCycle = Error(
        "CNN0009", "Networks feed each other in a cycle",
        "The network '{0}' takes its input from a chain that leads back to itself ({1}); a chain of networks must start from a shape");

    public static readonly DiagnosticDescriptor InvalidEnumValue = Error(
        "CNN0010", "Invalid option value",
        "{0} '{1}' has {2} {3}, which is not a valid value; use one of: {4}");

    public static readonly DiagnosticDescriptor WrongDimensionCount = Error(
        "CNN0011", "Wrong number of values",
        "{0} '{1}' has {2} with {3} values; a {4}-D layer takes 1 value or {4}");

    public static readonly DiagnosticDescriptor DuplicateLayerName = Error(
        "CNN0012", "Duplicate layer name",
        "Layer name '{0}' is used twice in '{1}'{2}; give each layer its own name");

    public static readonly DiagnosticDescriptor InvalidLayerName = Error(
        "CNN0013", "Invalid layer name",
        "'{0}' cannot be a layer name: {1}");

    public static readonly DiagnosticDescriptor DuplicateNetwork = Error(
        "CNN0014", "Network declared twice",
        "The network '{0}' is declared more than once ({1}); rename one of them");

    public static readonly DiagnosticDescriptor ConflictingOptions = Error(
        "CNN0015", "Conflicting options",
        "{0} '{1}' sets both {2} and {3}; set only one of them");

    public static readonly DiagnosticDescriptor NoLayers = Warning(
        "CNN0016", "Network has no layers",
        "The network '{0}' has no layers, so its output is its input; add layers such as {1}");

    public static readonly DiagnosticDescriptor InputNetworkHasErrors = Error(
        "CNN0017", "Input network has errors",
        "The network '{0}' takes its input from '{1}', which has errors; fix '{1}' first");

    public static readonly DiagnosticDescriptor ChainTooLong = Error(
        "CNN0018", "Chain of networks too long",
        "The network '{0}' takes its input through a chain of more than {1} networks; start the chain from a shape sooner or merge networks");

    // ---- Shapes -------------------------------------------------------------------------

    public static readonly DiagnosticDescriptor WrongInputRank = Error(
        "CNN0101", "Layer applied to the wrong rank",
        "{0} '{1}' needs {2} but its input is {3} ({4}). {5}");

    public static readonly DiagnosticDescriptor CausalNotAllowed = Error(
        "CNN0102", "Causal padding is only for Conv1D",
        "{0} '{1}' uses padding 'causal', which only Conv1D supports; use 'valid' or 'same'");

    public static readonly DiagnosticDescriptor WindowTooLarge = Error(
        "CNN0103", "Window larger than its input",
        "{0} '{1}' has a {2} {3} but its input is {4} with padding '{5}'; the output {6} would be {7}. {8}");

    public static readonly DiagnosticDescriptor OutputMismatch = Error(
        "CNN0104", "Declared output differs",
        "The network '{0}' declares output {1} but its layers produce {2}; change the Output declaration or the layers");

    public static readonly DiagnosticDescriptor SizeLimitExceeded = Error(
        "CNN0105", "Network too large",
        "{0} would have {1} {2}, more than the limit of {3}; {4}");

    public static readonly DiagnosticDescriptor FormatMismatch = Error(
        "CNN0106", "Chained networks use different data formats",
        "The network '{0}' is {1} but its input network '{2}' is {3}; chained networks must share a data format");

    // ---- The .cnn language --------------------------------------------------------------

    public static readonly DiagnosticDescriptor SyntaxError = Error(
        "CNN0201", "Syntax error",
        "Expected {0}, found {1}");

    public static readonly DiagnosticDescriptor UnexpectedCharacter = Error(
        "CNN0202", "Unexpected character",
        "Unexpected '{0}': names use letters, digits and '_', sizes are written like 3 or 3x5, and comments start with // or #");

    public static readonly DiagnosticDescriptor UnterminatedString = Error(
        "CNN0203", "Unterminated string",
        "The string {0} is not closed; end it with '\"' on the same line");

    public static readonly DiagnosticDescriptor InvalidNumber = Error(
        "CNN0204", "Invalid number",
        "'{0}' is not a size or a shape; write a size like 3 or sizes joined by 'x' like 3x5 or 28x28x1, without spaces");

    public static readonly DiagnosticDescriptor NumberTooLarge = Error(
        "CNN0205", "Number too large",
        "The number {0} is too large; a size must be at most 2,147,483,647");

    public static readonly DiagnosticDescriptor UnknownLayer = Error(
        "CNN0206", "Unknown layer",
        "Unknown layer '{0}'.{1} The layers are {2}.");

    public static readonly DiagnosticDescriptor UnknownOption = Error(
        "CNN0207", "Unknown option",
        "{0} has no option '{1}'.{2} Its options are {3}.");

    public static readonly DiagnosticDescriptor InvalidOptionValue = Error(
        "CNN0208", "Invalid option value",
        "The option '{0}' of {1} takes {2}, not {3}.{4}");

    public static readonly DiagnosticDescriptor DuplicateOption = Error(
        "CNN0209", "Option set twice",
        "The option '{0}' of {1} is set more than once; keep one");

    public static readonly DiagnosticDescriptor MissingArgument = Error(
        "CNN0210", "Missing argument",
        "{0} needs {1}; write {2}");

    public static readonly DiagnosticDescriptor TooManyPositionalArguments = Error(
        "CNN0211", "Too many positional arguments",
        "{0} takes {1}; write this value as a named option, such as '{2}: ...'");

    public static readonly DiagnosticDescriptor PositionalAfterNamed = Error(
        "CNN0212", "Positional argument after a named one",
        "This value has no option name but follows named options of {0}; write it as 'option: value' or move it before the named options");

    public static readonly DiagnosticDescriptor InvalidDeclarationName = Error(
        "CNN0213", "Invalid name",
        "'{0}' cannot name a {1}: {2}");

    public static readonly DiagnosticDescriptor TooManyErrors = Error(
        "CNN0214", "Too many errors",
        "Stopped reading this file after {0} errors; fix these first");

    // ---- Code generation ----------------------------------------------------------------

    public static readonly DiagnosticDescriptor InternalError = Error(
        "CNN0300", "Internal error",
        "CnnGen failed on '{0}' ({1}); nothing was generated for it. This is a bug in CnnGen: please report it with the declaration.");

    public static readonly DiagnosticDescriptor GeneratedCodeTooLarge = Error(
        "CNN0301", "Generated code too large",
        "The generated code of '{0}' would be more than {1} characters; make the layers smaller or fewer, or split the network into networks that take their input from one another");
}
