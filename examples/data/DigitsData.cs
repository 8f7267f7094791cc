using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using CnnGen.Training;

namespace CnnGen.Examples.Data;

/// <summary>
/// The bundled handwritten digits (UCI, 1,797 samples of 8x8 grey levels 0..16): read from
/// digits.csv.gz, scaled to [0, 1] and split 80/20 after a seeded shuffle.
/// </summary>
public static class DigitsData
{
    public const int Size = 8;
    public const int Classes = 10;

    /// <summary>All samples: pixels scaled to [0, 1] (row-major 8x8) and one-hot labels.</summary>
    public static (float[] Pixels, int[] Labels) Load(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        var pixels = new List<float>();
        var labels = new List<int>();
        string? line;
        var number = 0;
        while ((line = reader.ReadLine()) is not null)
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }

            var fields = line.Split(',');
            if (fields.Length != Size * Size + 1)
            {
                throw new InvalidDataException($"{path}, line {number}: expected {Size * Size + 1} values, found {fields.Length}.");
            }

            for (var i = 0; i < Size * Size; i++)
            {
                pixels.Add(float.Parse(fields[i], CultureInfo.InvariantCulture) / 16f);
            }

            labels.Add(int.Parse(fields[^1], CultureInfo.InvariantCulture));
        }

        return (pixels.ToArray(), labels.ToArray());
    }

    /// <summary>The fixed split: shuffle with <paramref name="seed"/>, then the first 80% train and the rest test.</summary>
    public static (Dataset Train, Dataset Test) LoadSplit(string path, int seed = 42)
    {
        var (pixels, labels) = Load(path);
        var all = Dataset.FromLabels(pixels, Size * Size, labels, Classes).Shuffle(seed);
        var (train, test) = all.Split(0.2);
        return (train, test);
    }

    /// <summary>Finds examples/data/digits.csv.gz from the current directory or the application's, walking up.</summary>
    public static string FindFile(string name = "digits.csv.gz")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                foreach (var candidate in new[] { Path.Combine(directory.FullName, name), Path.Combine(directory.FullName, "data", name),
                             Path.Combine(directory.FullName, "examples", "data", name) })
                {
                    if (File.Exists(candidate))
                    {
                        return candidate;
                    }
                }
            }
        }

        throw new FileNotFoundException($"Cannot find {name}: it ships in examples/data/ of the CnnGen repository.", name);
    }
}
