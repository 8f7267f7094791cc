using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;

namespace CnnGen.Generators.Diagnostics;

/// <summary>
/// Every diagnostic CnnGen reports. CNN00xx: declarations (names, options, how layers
/// connect); CNN01xx: shapes; CNN02xx: the .cnn language; CNN03xx: code generation. Each has docs/diagnostics/CNNxxxx.md, and is listed in
/// AnalyzerReleases.Unshipped.md (analyzer release tracking checks the IDs, categories and severities).
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "CnnGen";

    /// <summary>
    /// Where the pages of docs/diagnostics are, relative to the repository root: each
    /// descriptor's help link is this, its ID and ".md". The one place to change when the
    /// docs are published at an absolute URL.
    /// </summary>
    public const string HelpLinkBase = "docs/diagnostics/";

    // ---- Declarations -------------------------------------------------------------------

    public static readonly DiagnosticDescriptor ClassNotPartial = new(
        "CNN0001", "Network class must be partial",
        "The network class '{0}' must be declared partial so that CnnGen can add its code: {1}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CNN0001.md");

    public static readonly DiagnosticDescriptor ClassGeneric = new(
        "CNN0002", "Network class cannot be generic",
        "The network class '{0}' has type parameters; every size of a network is fixed, so remove the type parameters{1}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CNN0002.md");

    public static readonly DiagnosticDescriptor MissingInput = new(
        "CNN0003", "Network has no input",
        "The network '{0}' has no input shape: {1}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CNN0003.md");

    public static readonly DiagnosticDescriptor DuplicateInput = new(
        "CNN0004", "Network has more than one input",
        "The network '{0}' declares its input more than once; keep one",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CNN0004.md");

    public static readonly DiagnosticDescriptor NotAClass = new(
        "CNN0005", "Network must be a class",
        "'{0}' is a {1}; a network must be declared as a partial class",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CNN0005.md");

    public static readonly DiagnosticDescriptor SizeTooSmall = new(
        "CNN0006", "Size must be at least 1",
        "{0} '{1}' has {2} {3}; it must be at least 1",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CNN0006.md");

    public static readonly DiagnosticDescriptor InvalidInputShape = new(
        "CNN0007", "Invalid input shape",
        "The {0} shape of '{1}' is ({2}); give 1 to 3 sizes of at least 1: (units), (length, channels) or (height, width, channels) in the network's data format",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CNN0007.md");

    public static readonly DiagnosticDescriptor UnknownInputNetwork = new(
        "CNN0008", "Unknown input network",
        "The network '{0}' takes its input from '{1}', which is not a network: declare '{1}' with [Network] or in a .cnn file",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CNN0008.md");

    public static readonly DiagnosticDescriptor InputCycle = new(
        "CNN0009", "Networks feed each other in a cycle",
        "The network '{0}' takes its input from a chain that leads back to itself ({1}); a chain of networks must start from a shape",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CNN0009.md");

    public static readonly DiagnosticDescriptor InvalidEnumValue = new(
        "CNN0010", "Invalid option value",
        "{0} '{1}' has {2} {3}, which is not a valid value; use one of: {4}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CNN0010.md");

    public static readonly DiagnosticDescriptor WrongDimensionCount = new(
        "CNN0011", "Wrong number of values",
        "{0} '{1}' has {2} with {3} values; a {4}-D layer takes 1 value or {4}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CNN0011.md");

    public static readonly DiagnosticDescriptor DuplicateLayerName = new(
        "CNN0012", "Duplicate layer name",
        "Layer name '{0}' is used twice in '{1}'{2}; give each layer its own name",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CNN0012.md");

    public static readonly DiagnosticDescriptor InvalidLayerName = new(
        "CNN0013", "Invalid layer name",
        "'{0}' cannot be a layer name: {1}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CNN0013.md");

    public static readonly DiagnosticDescriptor DuplicateNetwork = new(
        "CNN0014", "Network declared twice",
        "The network '{0}' is declared more than once ({1}); rename one of them",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CNN0014.md");

    public static readonly DiagnosticDescriptor ConflictingOptions = new(
        "CNN0015", "Conflicting options",
        "{0} '{1}' sets both {2} and {3}; set only one of them",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CNN0015.md");

    public static readonly DiagnosticDescriptor NoLayers = new(
        "CNN0016", "Network has no layers",
        "The network '{0}' has no layers, so its output is its input; add layers such as {1}",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CNN0016.md");

    public static readonly DiagnosticDescriptor InputNetworkHasErrors = new(
        "CNN0017", "Input network has errors",
        "The network '{0}' takes its input from '{1}', which has errors; fix '{1}' first",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CNN0017.md");

    public static readonly DiagnosticDescriptor ChainTooLong = new(
        "CNN0018", "Chain of networks too long",
        "The network '{0}' takes its input through a chain of more than {1} networks; start the chain from a shape sooner or merge networks",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CNN0018.md");

#pragma warning disable RS1032 // two sentences; the message reads as the other CNN messages, without a final period
    public static readonly DiagnosticDescriptor UnknownLayerReference = new(
        "CNN0019", "Unknown layer name",
        "{0} '{1}' reads '{2}', but '{3}' has no layer of that name.{4} Name an earlier layer, or 'input' for the network's input",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CNN0019.md");
#pragma warning restore RS1032

#pragma warning disable RS1032 // the last sentence is an argument that brings its own period
    public static readonly DiagnosticDescriptor LayerReferenceNotBefore = new(
        "CNN0020", "Layer reads a layer that is not before it",
        "{0} '{1}' reads '{2}', {3}; a layer reads only the network's input and layers written before it. {4}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CNN0020.md");
#pragma warning restore RS1032

#pragma warning disable RS1032 // one sentence: the rule takes the period of "e.g." for the end of one
    public static readonly DiagnosticDescriptor TooFewMergeInputs = new(
        "CNN0021", "Merge needs at least two inputs",
        "{0} '{1}' reads {2}; a merge needs at least two inputs, e.g. {3}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CNN0021.md");
#pragma warning restore RS1032

    public static readonly DiagnosticDescriptor FromOnMerge = new(
        "CNN0022", "A merge takes no From",
        "{0} '{1}' lists the layers it reads, so it takes no {2}; put '{3}' among its inputs instead",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CNN0022.md");

#pragma warning disable RS1032 // two sentences; the message reads as the other CNN messages, without a final period
    public static readonly DiagnosticDescriptor UnusedLayerOutput = new(
        "CNN0023", "Layer output never used",
        "The output of {0} '{1}' is never used: no later layer reads it, and only the last layer is the network's output. Read it with {2} or a merge, or remove the layer",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CNN0023.md");
#pragma warning restore RS1032

    public static readonly DiagnosticDescriptor PadsWithPaddingMode = new(
        "CNN0024", "Explicit padding with padding 'same' or 'causal'",
        "{0} '{1}' sets {2} and padding '{3}'; {2} goes with padding 'valid' (the default): remove one of them",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CNN0024.md");

    public static readonly DiagnosticDescriptor InvalidPads = new(
        "CNN0025", "Invalid pads",
        "{0} '{1}' has {2} {3}; it takes {4}, each 0 or more",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CNN0025.md");

    // ---- Shapes -------------------------------------------------------------------------

#pragma warning disable RS1032 // the last sentence is an argument that brings its own period
    public static readonly DiagnosticDescriptor WrongInputRank = new(
        "CNN0101", "Layer applied to the wrong rank",
        "{0} '{1}' needs {2} but its input is {3} ({4}). {5}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CNN0101.md");
#pragma warning restore RS1032

    public static readonly DiagnosticDescriptor CausalNotAllowed = new(
        "CNN0102", "Causal padding is only for Conv1D",
        "{0} '{1}' uses padding 'causal', which only Conv1D supports; use 'valid' or 'same'",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CNN0102.md");

#pragma warning disable RS1032 // the last sentence is an argument that brings its own period
    public static readonly DiagnosticDescriptor WindowTooLarge = new(
        "CNN0103", "Window larger than its input",
        "{0} '{1}' has a {2} {3} but its input is {4} with padding '{5}'; the output {6} would be {7}. {8}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CNN0103.md");
#pragma warning restore RS1032

    public static readonly DiagnosticDescriptor OutputMismatch = new(
        "CNN0104", "Declared output differs",
        "The network '{0}' declares output {1} but its layers produce {2}; change the Output declaration or the layers",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CNN0104.md");

    public static readonly DiagnosticDescriptor SizeLimitExceeded = new(
        "CNN0105", "Network too large",
        "{0} would have {1} {2}, more than the limit of {3}; {4}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CNN0105.md");

    public static readonly DiagnosticDescriptor FormatMismatch = new(
        "CNN0106", "Chained networks use different data formats",
        "The network '{0}' is {1} but its input network '{2}' is {3}; chained networks must share a data format",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CNN0106.md");

    public static readonly DiagnosticDescriptor MergeInputsDoNotFit = new(
        "CNN0107", "Merge inputs do not fit",
        "{0} '{1}' cannot merge '{2}' ({3}) and '{4}' ({5}): {6}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CNN0107.md");

    public static readonly DiagnosticDescriptor PadLargerThanWindow = new(
        "CNN0110", "Padding larger than the window allows",
        "{0} '{1}' pads {2} cells {3} but its {4} is {5}; {6}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CNN0110.md");

    public static readonly DiagnosticDescriptor GroupsDoNotDivide = new(
        "CNN0111", "Groups do not divide the channels",
        "{0} '{1}' has {2} groups but {3}; the input channels and the filters must both be multiples of the groups: {4}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CNN0111.md");

    public static readonly DiagnosticDescriptor TransposedOutputDoesNotFit = new(
        "CNN0112", "Transposed convolution output does not fit",
        "{0} '{1}' {2}; {3}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CNN0112.md");

    // ---- The .cnn language --------------------------------------------------------------

    public static readonly DiagnosticDescriptor SyntaxError = new(
        "CNN0201", "Syntax error",
        "Expected {0}, found {1}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CNN0201.md");

    public static readonly DiagnosticDescriptor UnexpectedCharacter = new(
        "CNN0202", "Unexpected character",
        "Unexpected '{0}': names use letters, digits and '_', sizes are written like 3 or 3x5, and comments start with // or #",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CNN0202.md");

    public static readonly DiagnosticDescriptor UnterminatedString = new(
        "CNN0203", "Unterminated string",
        "The string {0} is not closed; end it with '\"' on the same line",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CNN0203.md");

    public static readonly DiagnosticDescriptor InvalidNumber = new(
        "CNN0204", "Invalid number",
        "'{0}' is not a size or a shape; write a size like 3 or sizes joined by 'x' like 3x5 or 28x28x1, without spaces",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CNN0204.md");

    public static readonly DiagnosticDescriptor NumberTooLarge = new(
        "CNN0205", "Number too large",
        "The number {0} is too large; a size must be at most 2,147,483,647",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CNN0205.md");

#pragma warning disable RS1032 // the last sentence is an argument that brings its own period
    public static readonly DiagnosticDescriptor UnknownLayer = new(
        "CNN0206", "Unknown layer",
        "Unknown layer '{0}'.{1} The layers are {2}.",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CNN0206.md");
#pragma warning restore RS1032

#pragma warning disable RS1032 // the last sentence is an argument that brings its own period
    public static readonly DiagnosticDescriptor UnknownOption = new(
        "CNN0207", "Unknown option",
        "{0} has no option '{1}'.{2} Its options are {3}.",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CNN0207.md");
#pragma warning restore RS1032

    public static readonly DiagnosticDescriptor InvalidOptionValue = new(
        "CNN0208", "Invalid option value",
        "The option '{0}' of {1} takes {2}, not {3}.{4}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CNN0208.md");

    public static readonly DiagnosticDescriptor DuplicateOption = new(
        "CNN0209", "Option set twice",
        "The option '{0}' of {1} is set more than once; keep one",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CNN0209.md");

    public static readonly DiagnosticDescriptor MissingArgument = new(
        "CNN0210", "Missing argument",
        "{0} needs {1}; write {2}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CNN0210.md");

    public static readonly DiagnosticDescriptor TooManyPositionalArguments = new(
        "CNN0211", "Too many positional arguments",
        "{0} takes {1}; write this value as a named option, such as '{2}: ...'",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CNN0211.md");

    public static readonly DiagnosticDescriptor PositionalAfterNamed = new(
        "CNN0212", "Positional argument after a named one",
        "This value has no option name but follows named options of {0}; write it as 'option: value' or move it before the named options",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CNN0212.md");

    public static readonly DiagnosticDescriptor InvalidDeclarationName = new(
        "CNN0213", "Invalid name",
        "'{0}' cannot name a {1}: {2}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CNN0213.md");

    public static readonly DiagnosticDescriptor TooManyErrors = new(
        "CNN0214", "Too many errors",
        "Stopped reading this file after {0} errors; fix these first",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CNN0214.md");

    // ---- Code generation ----------------------------------------------------------------

    public static readonly DiagnosticDescriptor InternalError = new(
        "CNN0300", "Internal error",
        "CnnGen failed on '{0}' ({1}); nothing was generated for it. This is a bug in CnnGen: please report it with the declaration.",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CNN0300.md");

    public static readonly DiagnosticDescriptor GeneratedCodeTooLarge = new(
        "CNN0301", "Generated code too large",
        "The generated code of '{0}' would be more than {1} characters; make the layers smaller or fewer, or split the network into networks that take their input from one another",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CNN0301.md");

    public static readonly DiagnosticDescriptor BuiltWithoutOptimization = new(
        "CNN0302", "Network built without optimization",
        "'{0}' is built without optimization (a Debug build), so its generated kernels run several times slower than in Release; build with -c Release, or set <Optimize>true</Optimize> in the project, when speed matters",
        Category, DiagnosticSeverity.Info, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CNN0302.md");

    // ---- Normalisation and regularisation options ------------------------------------------

    public static readonly DiagnosticDescriptor OptionOutOfRange = new(
        "CNN0030", "Option out of range",
        "{0} '{1}' has {2} {3}, which is out of range; {2} must be {4}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + "CNN0030.md");

    /// <summary>
    /// Every descriptor above, for the analyzer's SupportedDiagnostics (read by reflection, so
    /// none can be left out). Last in the file: static fields initialise in textual order.
    /// </summary>
    public static readonly ImmutableArray<DiagnosticDescriptor> All = typeof(DiagnosticDescriptors)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(field => field.FieldType == typeof(DiagnosticDescriptor))
        .Select(field => (DiagnosticDescriptor)field.GetValue(null)!)
        .ToImmutableArray();
}
