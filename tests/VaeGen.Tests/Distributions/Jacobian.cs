using System;
using TorchSharp;
using static TorchSharp.torch;

namespace VaeGen.Tests.Distributions;

/// <summary>Jacobians by autograd and their determinants by elimination in double, for checking a flow's log-determinant.</summary>
internal static class Jacobian
{
    /// <summary>
    /// J[n][i, j] = ∂map(z)[n, i] / ∂z[n, j] for a map applied row by row to z [N, D]: one backward pass per output
    /// coordinate i, of that coordinate summed over the rows (rows do not interact, so each row's gradient is its own).
    /// </summary>
    public static double[][,] Of(Func<Tensor, Tensor> map, Tensor z)
    {
        using var scope = NewDisposeScope();
        var (rows, size) = ((int)z.shape[0], (int)z.shape[1]);
        var input = z.detach().clone().requires_grad_();
        var output = map(input);
        var result = new double[rows][,];
        for (var n = 0; n < rows; n++) result[n] = new double[size, size];
        for (var i = 0; i < size; i++)
        {
            var gradient = torch.autograd.grad(new[] { output.select(-1, i).sum() }, new[] { input }, retain_graph: true, allow_unused: true)[0];
            if (gradient is null || gradient.IsInvalid) continue; // Output i does not depend on z at all.
            var values = Hand.Values(gradient);
            for (var n = 0; n < rows; n++)
            for (var j = 0; j < size; j++)
                result[n][i, j] = values[n * size + j];
        }
        return result;
    }

    /// <summary>The sign and log|det| of a square matrix, by Gaussian elimination with partial pivoting.</summary>
    public static (int Sign, double LogAbs) SignedLogDeterminant(double[,] matrix)
    {
        var size = matrix.GetLength(0);
        var a = (double[,])matrix.Clone();
        var sign = 1;
        var logAbs = 0.0;
        for (var c = 0; c < size; c++)
        {
            var pivot = c;
            for (var r = c + 1; r < size; r++)
                if (Math.Abs(a[r, c]) > Math.Abs(a[pivot, c])) pivot = r;
            if (a[pivot, c] == 0) return (0, double.NegativeInfinity);
            if (pivot != c)
            {
                sign = -sign;
                for (var j = 0; j < size; j++) (a[c, j], a[pivot, j]) = (a[pivot, j], a[c, j]);
            }
            if (a[c, c] < 0) sign = -sign;
            logAbs += Math.Log(Math.Abs(a[c, c]));
            for (var r = c + 1; r < size; r++)
            {
                var factor = a[r, c] / a[c, c];
                for (var j = c; j < size; j++) a[r, j] -= factor * a[c, j];
            }
        }
        return (sign, logAbs);
    }

    /// <summary>
    /// Hadamard's ratio prod_i ||row_i|| / |det|, at least 1: elimination is backward stable, so the determinant it gives is
    /// off by about the rounding unit times prod_i ||row_i||, and its log by the rounding unit times this ratio.
    /// </summary>
    public static double HadamardRatio(double[,] matrix, double logAbsDeterminant)
    {
        var logRows = 0.0;
        for (var i = 0; i < matrix.GetLength(0); i++)
        {
            var squares = 0.0;
            for (var j = 0; j < matrix.GetLength(1); j++) squares += matrix[i, j] * matrix[i, j];
            logRows += 0.5 * Math.Log(squares);
        }
        return Math.Exp(logRows - logAbsDeterminant);
    }
}
