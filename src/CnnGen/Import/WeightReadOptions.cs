using System;

namespace CnnGen;

/// <summary>
/// How the readers of other frameworks' weight files (<see cref="NumpyFile"/>,
/// <see cref="SafeTensorsFile"/>, <see cref="WeightImporter.ReadTensors(string, WeightReadOptions?)"/>)
/// check what they read. The defaults refuse values no trained network holds and archives
/// that would decompress to far more than their size.
/// </summary>
public sealed class WeightReadOptions
{
    /// <summary>The uncompressed bytes of an .npz archive always allowed, whatever its compression ratio: 1 MiB.</summary>
    public const long CompressionAllowance = 1L << 20;

    private readonly double _maxCompressionRatio = 16;

    /// <summary>The defaults.</summary>
    public static WeightReadOptions Default { get; } = new();

    /// <summary>
    /// Keep NaN and infinite values, and float64 values beyond the range of float32 (which become
    /// infinities). Default false: the first such value is an error that names the tensor, the
    /// index and the value.
    /// </summary>
    public bool AllowNonFinite { get; init; }

    /// <summary>
    /// The most an .npz archive may expand: the uncompressed sizes its entries declare, added up,
    /// may be at most this many times the archive's length (or <see cref="CompressionAllowance"/>,
    /// whichever is larger). Checked before anything is decompressed. Default 16: float weights
    /// compress by well under 2 (pruned ones by a few times), so only an archive of mostly
    /// constant data (or a hostile one) comes near it; raise it for such an archive.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The ratio is NaN or below 1.</exception>
    public double MaxCompressionRatio
    {
        get => _maxCompressionRatio;
        init
        {
            if (!(value >= 1))
            {
                throw new ArgumentOutOfRangeException(nameof(MaxCompressionRatio), value, "The compression ratio limit must be at least 1.");
            }

            _maxCompressionRatio = value;
        }
    }
}
