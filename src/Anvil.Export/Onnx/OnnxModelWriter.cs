using Google.Protobuf;
using Onnx;

namespace Anvil.Export.Onnx;

/// <summary>
/// Serialises an <see cref="OnnxModel"/> as an ONNX ModelProto with OnnxSharp's classes generated from
/// onnx.proto; only the fields below are set, everything else keeps its default.
/// </summary>
internal static class OnnxModelWriter
{
    /// <summary>Opset 17 (ONNX 1.12) has every operator used here and runs on every ONNX Runtime since 1.12.</summary>
    public const long Opset = 17;

    /// <summary>IR version 8 is the one ONNX 1.12 defines for opset 17.</summary>
    public const long IrVersion = 8;

    public const string ProducerName = "anvil";

    public static byte[] Write(OnnxModel model)
    {
        var proto = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = ProducerName,
            ProducerVersion = typeof(OnnxModelWriter).Assembly.GetName().Version?.ToString() ?? "0",
            Graph = Graph(model),
        };
        proto.OpsetImport.Add(new OperatorSetIdProto { Version = Opset }); // domain "" = ai.onnx
        foreach (var (key, value) in model.Metadata)
            proto.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return proto.ToByteArray();
    }

    private static GraphProto Graph(OnnxModel model)
    {
        var graph = new GraphProto { Name = model.Name };
        graph.Node.AddRange(model.Graph.Nodes.Select(Node));
        graph.Initializer.AddRange(model.Graph.Initializers.Select(Tensor));
        graph.Input.Add(Value(model.Input));
        graph.Output.Add(Value(model.Output));
        return graph;
    }

    private static NodeProto Node(OnnxNode node)
    {
        var proto = new NodeProto { Name = node.Outputs[0], OpType = node.OpType }; // named after its first output
        proto.Input.AddRange(node.Inputs);
        proto.Output.AddRange(node.Outputs);
        proto.Attribute.AddRange(node.Attributes.Select(Attribute));
        return proto;
    }

    private static AttributeProto Attribute(OnnxAttribute attribute)
    {
        var proto = new AttributeProto { Name = attribute.Name };
        if (attribute.Float is { } f)
        {
            proto.F = f;
            proto.Type = AttributeProto.Types.AttributeType.Float;
        }
        else if (attribute.String is { } s)
        {
            proto.S = ByteString.CopyFromUtf8(s);
            proto.Type = AttributeProto.Types.AttributeType.String;
        }
        else if (attribute.Int is { } i)
        {
            proto.I = i;
            proto.Type = AttributeProto.Types.AttributeType.Int;
        }
        else
        {
            proto.Ints.AddRange(attribute.Ints ?? []);
            proto.Type = AttributeProto.Types.AttributeType.Ints;
        }

        return proto;
    }

    private static TensorProto Tensor(OnnxTensor tensor)
    {
        var proto = new TensorProto { Name = tensor.Name, DataType = tensor.ElementType, RawData = ByteString.CopyFrom(tensor.RawData) }; // little-endian, as ONNX requires
        proto.Dims.AddRange(tensor.Dims);
        return proto;
    }

    private static ValueInfoProto Value(OnnxValue value)
    {
        var shape = new TensorShapeProto();
        shape.Dim.AddRange(value.Shape.Select(dim => dim.Symbol is { } symbol
            ? new TensorShapeProto.Types.Dimension { DimParam = symbol }
            : new TensorShapeProto.Types.Dimension { DimValue = dim.Size }));
        return new ValueInfoProto
        {
            Name = value.Name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = value.ElementType, Shape = shape } },
        };
    }
}
