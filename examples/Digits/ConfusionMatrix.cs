using Spectre.Console;

namespace Digits;

/// <summary>How often each digit (row) was read as each digit (column): the diagonal is right, the rest shows which digits get confused.</summary>
public sealed class ConfusionMatrix
{
    private readonly int[,] _counts;

    public ConfusionMatrix(ReadOnlySpan<int> actual, ReadOnlySpan<int> predicted, int classes)
    {
        _counts = new int[classes, classes];
        for (var i = 0; i < actual.Length; i++)
        {
            _counts[actual[i], predicted[i]]++;
        }
    }

    public int Classes => _counts.GetLength(0);

    public int this[int actual, int predicted] => _counts[actual, predicted];

    public void Write()
    {
        var table = new Table { Border = TableBorder.Simple, Title = new TableTitle("Confusion matrix (rows: true digit, columns: predicted)") };
        table.AddColumn(new TableColumn("true").RightAligned());
        for (var c = 0; c < Classes; c++)
        {
            table.AddColumn(new TableColumn(c.ToString()).RightAligned());
        }

        for (var r = 0; r < Classes; r++)
        {
            var cells = new List<string> { r.ToString() };
            for (var c = 0; c < Classes; c++)
            {
                var count = _counts[r, c];
                cells.Add(count == 0 ? "[grey].[/]" : r == c ? $"[green]{count}[/]" : $"[red bold]{count}[/]");
            }

            table.AddRow(cells.ToArray());
        }

        AnsiConsole.Write(table);
    }
}
