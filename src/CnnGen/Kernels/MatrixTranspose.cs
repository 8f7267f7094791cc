using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace CnnGen.Kernels;

/// <summary>
/// Transposes row-major matrices in tiles that stay in the L1 cache, for the backward pass
/// (kernels with their input dimension contiguous). Called by generated code with constant sizes.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class MatrixTranspose
{
    private const int Tile = 16;

    /// <summary>Matrices of at most this many columns (or rows) are transposed a column (or row) at a time.</summary>
    private const int FewColumns = 8;

    /// <summary>
    /// <paramref name="count"/> matrices of <paramref name="rows"/> x <paramref name="columns"/>,
    /// one after another: target[m][c][r] = source[m][r][c].
    /// </summary>
    public static void Transpose(ref float source, ref float target, int count, int rows, int columns) =>
        Transpose(ref source, ref target, count, rows, columns, rows);

    /// <summary>
    /// As <see cref="Transpose(ref float, ref float, int, int, int)"/>, with each target row
    /// <paramref name="paddedRows"/> long: target[m][c][r] for r &gt;= rows is zero. The input
    /// gradient of a convolution then runs whole vectors of channels whose extra lanes add zero.
    /// </summary>
    public static void Transpose(ref float source, ref float target, int count, int rows, int columns, int paddedRows)
    {
        var size = rows * columns;
        var paddedSize = paddedRows * columns;
        for (var m = 0; m < count; m++)
        {
            ref var from = ref Unsafe.Add(ref source, (nint)m * size);
            ref var to = ref Unsafe.Add(ref target, (nint)m * paddedSize);
            if (paddedRows > rows)
            {
                for (var c = 0; c < columns; c++)
                {
                    System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref Unsafe.Add(ref to, c * paddedRows + rows), paddedRows - rows).Clear();
                }
            }

            if (columns <= FewColumns)
            {
                // A dense layer of few units (transposed for its dot products): each column read with
                // a stride and written in one run; the tiles' inner loop of a few columns cost twice the time.
                for (var c = 0; c < columns; c++)
                {
                    ref var column = ref Unsafe.Add(ref from, c);
                    ref var line = ref Unsafe.Add(ref to, c * paddedRows);
                    for (var r = 0; r < rows; r++)
                    {
                        Unsafe.Add(ref line, r) = Unsafe.Add(ref column, r * columns);
                    }
                }

                continue;
            }

            if (rows <= FewColumns)
            {
                // Few long rows (the kernel gradient's sums of a dense layer of few units): each row
                // read in one run, written with a stride of a few floats.
                for (var r = 0; r < rows; r++)
                {
                    ref var row = ref Unsafe.Add(ref from, r * columns);
                    ref var column = ref Unsafe.Add(ref to, r);
                    for (var c = 0; c < columns; c++)
                    {
                        Unsafe.Add(ref column, c * paddedRows) = Unsafe.Add(ref row, c);
                    }
                }

                continue;
            }

            for (var r0 = 0; r0 < rows; r0 += Tile)
            {
                var r1 = r0 + Tile < rows ? r0 + Tile : rows;
                for (var c0 = 0; c0 < columns; c0 += Tile)
                {
                    var c1 = c0 + Tile < columns ? c0 + Tile : columns;
                    for (var r = r0; r < r1; r++)
                    {
                        ref var row = ref Unsafe.Add(ref from, r * columns);
                        for (var c = c0; c < c1; c++)
                        {
                            Unsafe.Add(ref to, c * paddedRows + r) = Unsafe.Add(ref row, c);
                        }
                    }
                }
            }
        }
    }
}
