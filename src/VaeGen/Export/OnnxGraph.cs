using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Globalization;
using System.Linq;
using Google.Protobuf;
using Onnx;
using static TorchSharp.torch;

namespace VaeGen.Export;

/// <summary>
/// One ONNX graph under construction: its inputs and outputs, the model's parameters it uses as initializers, and its
/// nodes in the order they are added (which is a topological order, since a node can only take values that exist).
/// The public methods are the layers and densities of a VAE, each documented with the formula it writes; generated
/// code calls them in the order its layer plan gives. Every value has a leading batch dimension of any size.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed partial class OnnxGraph
{
    /// <summary>The name of the symbolic batch dimension of every input and output.</summary>
    public const string BatchDimension = "batch";

    private readonly OnnxExport export;
    private readonly GraphProto graph;
    private readonly HashSet<string> names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OnnxValue> scalars = new(StringComparer.Ordinal);
    private int counter;
    private long initializerBytes;

    /// <summary>The weights one file may carry: 2 GiB less a margin for the graph's nodes and names.</summary>
    private const long MaximumInitializerBytes = int.MaxValue - (64L << 20);

    internal OnnxGraph(OnnxExport export, string name, string description)
    {
        this.export = export;
        Name = name ?? throw new ArgumentNullException(nameof(name));
        Description = description ?? throw new ArgumentNullException(nameof(description));
        graph = new GraphProto { Name = $"{export.ModelName} {name}", DocString = description };
    }

    /// <summary>The graph's name, and its file's: "encoder" for encoder.onnx.</summary>
    public string Name { get; }

    /// <summary>What the graph computes, as written into the file.</summary>
    public string Description { get; }

    /// <summary>A float32 input of shape [batch, <paramref name="width"/>].</summary>
    /// <param name="name">Its name, which callers of the exported graph use.</param>
    /// <param name="width">Features per example.</param>
    public OnnxValue Input(string name, long width)
    {
        graph.Input.Add(ValueInfo(Claim(name), TensorProto.Types.DataType.Float, width));
        return new OnnxValue(name);
    }

    /// <summary>A float32 input of shape [batch]: one number per example.</summary>
    /// <param name="name">Its name, which callers of the exported graph use.</param>
    public OnnxValue Input(string name)
    {
        graph.Input.Add(ValueInfo(Claim(name), TensorProto.Types.DataType.Float));
        return new OnnxValue(name);
    }

    /// <summary>An int64 input of shape [batch]: one class label per example.</summary>
    /// <param name="name">Its name, which callers of the exported graph use.</param>
    public OnnxValue LabelInput(string name)
    {
        graph.Input.Add(ValueInfo(Claim(name), TensorProto.Types.DataType.Int64));
        return new OnnxValue(name);
    }

    /// <summary>Makes <paramref name="value"/> an output of the graph named <paramref name="name"/>, float32 [batch, ..trailing].</summary>
    /// <param name="name">The output's name, which callers of the exported graph read.</param>
    /// <param name="value">The value it gives.</param>
    /// <param name="trailing">Its dimensions after the batch: none for one value per example.</param>
    public void Output(string name, OnnxValue value, params long[] trailing)
    {
        AddNode("Identity", new[] { value }, Claim(name), Array.Empty<AttributeProto>());
        graph.Output.Add(ValueInfo(name, TensorProto.Types.DataType.Float, trailing));
    }

    /// <summary>The model's parameter of that state_dict name, e.g. "encoder.linear1.weight", as an initializer of the same name.</summary>
    /// <exception cref="ArgumentException">The model has no such parameter.</exception>
    public OnnxValue Parameter(string name)
    {
        if (names.Contains(name)) return new OnnxValue(name);
        return Initializer(name, export.Parameter(name));
    }

    /// <summary>
    /// A tensor computed at export time, such as the VampPrior's components from the fixed weights, as an initializer:
    /// copied now, in float32.
    /// </summary>
    /// <param name="name">Its name in the graph; it must not be taken.</param>
    /// <param name="value">The tensor.</param>
    public OnnxValue Constant(string name, Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Initializer(name, OnnxTensorData.Copy(value));
    }

    /// <summary>The serialized model: this graph with the opset, the producer and the export's metadata.</summary>
    internal byte[] ToBytes()
    {
        var model = new ModelProto
        {
            IrVersion = OnnxExport.IrVersion,
            ProducerName = "VaeGen",
            ProducerVersion = typeof(OnnxGraph).Assembly.GetName().Version?.ToString() ?? string.Empty,
            DocString = Description,
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = OnnxExport.Opset });
        model.MetadataProps.Add(new StringStringEntryProto { Key = "vaegen.model", Value = export.ModelName });
        model.MetadataProps.Add(new StringStringEntryProto { Key = "vaegen.graph", Value = Name });
        model.MetadataProps.Add(new StringStringEntryProto { Key = "vaegen.architecture", Value = export.Architecture });
        return model.ToByteArray();
    }

    private OnnxValue Initializer(string name, OnnxTensorData data)
    {
        initializerBytes += 4L * data.Values.Length;
        // Protobuf caps a message at 2 GiB; beyond it ONNX keeps tensors in external files, which this exporter does not write.
        if (initializerBytes > MaximumInitializerBytes)
            throw new NotSupportedException(
                $"The {Name} graph of {export.ModelName} would hold {initializerBytes:N0} bytes of weights, more than the 2 GiB a single ONNX file " +
                "can carry; ONNX's external-data format, which larger models need, is not supported by this exporter.");
        var tensor = new TensorProto { Name = Claim(name), DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(data.RawData()) };
        tensor.Dims.AddRange(data.Shape);
        graph.Initializer.Add(tensor);
        return new OnnxValue(name);
    }

    /// <summary>A float32 scalar constant, shared by every use of the same value.</summary>
    private OnnxValue Scalar(double value)
    {
        var single = (float)value;
        var key = single.ToString("R", CultureInfo.InvariantCulture);
        if (scalars.TryGetValue(key, out var existing)) return existing;
        return scalars[key] = Constant("const", TensorProto.Types.DataType.Float, null, tensor => tensor.FloatData.Add(single));
    }

    /// <summary>A one-dimensional float32 constant.</summary>
    private OnnxValue Floats(params float[] values) =>
        Constant("floats", TensorProto.Types.DataType.Float, values.Length, tensor => tensor.FloatData.AddRange(values));

    /// <summary>A one-dimensional int64 constant: shapes, axes, indices.</summary>
    private OnnxValue Int64s(params long[] values) =>
        Constant("ints", TensorProto.Types.DataType.Int64, values.Length, tensor => tensor.Int64Data.AddRange(values));

    /// <summary>An initializer under a fresh name from <paramref name="prefix"/>: a scalar, or a vector of <paramref name="length"/> values that <paramref name="fill"/> writes.</summary>
    private OnnxValue Constant(string prefix, TensorProto.Types.DataType type, int? length, Action<TensorProto> fill)
    {
        var tensor = new TensorProto { Name = Fresh(prefix), DataType = (int)type };
        if (length is { } count) tensor.Dims.Add(count);
        fill(tensor);
        graph.Initializer.Add(tensor);
        return new OnnxValue(tensor.Name);
    }

    /// <summary>Adds a node of one output, named after the operator, and returns that output.</summary>
    private OnnxValue Node(string op, OnnxValue[] inputs, params AttributeProto[] attributes) =>
        AddNode(op, inputs, Fresh(op), attributes);

    private OnnxValue AddNode(string op, OnnxValue[] inputs, string output, AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = output };
        node.Input.AddRange(inputs.Select(i => i.Name));
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        graph.Node.Add(node);
        return new OnnxValue(output);
    }

    private static AttributeProto Attribute(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private static AttributeProto Attribute(string name, double value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = (float)value };

    private static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    /// <summary>A new name for an intermediate value: "Gemm_3". Inputs, outputs and parameters never look like it.</summary>
    private string Fresh(string prefix) => Claim($"{prefix}_{counter++}");

    /// <summary>Reserves <paramref name="name"/>: every value of a graph needs a name of its own.</summary>
    private string Claim(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!names.Add(name)) throw new ArgumentException($"The graph '{Name}' already has a value named '{name}'.", nameof(name));
        return name;
    }

    private static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType type, params long[] trailing)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = BatchDimension });
        foreach (var size in trailing) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = size });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }

    // Elementwise and reduction operators, each one node; ONNX broadcasts scalars and trailing dimensions as NumPy does.
    private OnnxValue Add(OnnxValue a, OnnxValue b) => Node("Add", new[] { a, b });

    private OnnxValue Sub(OnnxValue a, OnnxValue b) => Node("Sub", new[] { a, b });

    private OnnxValue Mul(OnnxValue a, OnnxValue b) => Node("Mul", new[] { a, b });

    private OnnxValue Div(OnnxValue a, OnnxValue b) => Node("Div", new[] { a, b });

    private OnnxValue Add(OnnxValue a, double b) => Add(a, Scalar(b));

    private OnnxValue Mul(OnnxValue a, double b) => Mul(a, Scalar(b));

    private OnnxValue Unary(string op, OnnxValue a) => Node(op, new[] { a });

    private OnnxValue Square(OnnxValue a) => Mul(a, a);

    /// <summary>The sum over the last dimension, which it removes.</summary>
    private OnnxValue SumLast(OnnxValue a) => Node("ReduceSum", new[] { a, Int64s(-1) }, Attribute("keepdims", 0L));

    private OnnxValue Unsqueeze(OnnxValue a, long axis) => Node("Unsqueeze", new[] { a, Int64s(axis) });

    private OnnxValue Reshape(OnnxValue a, params long[] shape) => Node("Reshape", new[] { a, Int64s(shape) });

    /// <summary>log sum_k exp(a_k) over the last dimension, which it removes, as max + log sum exp(a - max): finite however small the terms.</summary>
    private OnnxValue LogSumExpLast(OnnxValue a)
    {
        var max = Node("ReduceMax", new[] { a }, Ints("axes", -1), Attribute("keepdims", 1L));
        var sum = SumLast(Unary("Exp", Sub(a, max)));
        return Add(Unary("Log", sum), Node("Squeeze", new[] { max, Int64s(-1) }));
    }

    /// <summary>c_0 + c_1 u + ... + c_n u^n by Horner's rule, in the order VaeGen.Maths.LogDensity evaluates it.</summary>
    private OnnxValue Polynomial(OnnxValue u, IReadOnlyList<double> coefficients)
    {
        var sum = Mul(u, coefficients[^1]);
        for (var i = coefficients.Count - 2; i > 0; i--) sum = Mul(Add(sum, coefficients[i]), u);
        return Add(sum, coefficients[0]);
    }
}
