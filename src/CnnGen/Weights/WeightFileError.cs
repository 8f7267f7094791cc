namespace CnnGen;

/// <summary>What is wrong with a weight file that could not be loaded.</summary>
public enum WeightFileError
{
    /// <summary>The file does not start with the CnnGen magic bytes.</summary>
    NotAWeightFile,
    /// <summary>The file was written in a format version this library does not read.</summary>
    UnsupportedVersion,
    /// <summary>A header field holds a value no writer produces (e.g. a fingerprint that is not hexadecimal).</summary>
    InvalidHeader,
    /// <summary>The file ends before the header, the data or the checksum is complete.</summary>
    Truncated,
    /// <summary>The file is longer than its header says.</summary>
    TrailingData,
    /// <summary>The stored SHA-256 does not match the bytes: the file was damaged.</summary>
    ChecksumMismatch,
    /// <summary>The file holds the weights of another architecture (another fingerprint).</summary>
    ArchitectureMismatch,
    /// <summary>The file holds another number of parameters than the network has.</summary>
    ParameterCountMismatch,
}
