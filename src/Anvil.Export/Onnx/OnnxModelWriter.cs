namespace Anvil.Export.Onnx;

/// <summary>
/// Serialises an <see cref="OnnxModel"/> as an ONNX ModelProto. Field numbers are those of
/// onnx/onnx.proto; only the fields below are written, everything else keeps its default.
/// </summary>
internal static class OnnxModelWriter
{
    /// <summary>Opset 17 (ONNX 1.12) has every operator used here and runs on every ONNX Runtime since 1.12.</summary>
    public const long Opset = 17;

    /// <summary>IR version 8 is the one ONNX 1.12 defines for opset 17.</summary>
    public const long IrVersion = 8;

    public const string ProducerName = "anvil";

    private const int AttributeFloat = 1, AttributeInt = 2, AttributeString = 3, AttributeInts = 7; // AttributeProto.AttributeType

    public static byte[] Write(OnnxModel model)
    {
        var proto = new ProtoWriter();
        proto.Int(1, IrVersion);                                    // ModelProto.ir_version
        proto.String(2, ProducerName);                              // producer_name
        proto.String(3, typeof(OnnxModelWriter).Assembly.GetName().Version?.ToString() ?? "0"); // producer_version
        proto.Message(7, g => WriteGraph(g, model));                // graph
        proto.Message(8, o => o.Int(2, Opset));                     // opset_import { version } (domain "" = ai.onnx)
        foreach (var (key, value) in model.Metadata)
            proto.Message(14, m => { m.String(1, key); m.String(2, value); }); // metadata_props
        return proto.ToArray();
    }

    private static void WriteGraph(ProtoWriter g, OnnxModel model)
    {
        foreach (var node in model.Graph.Nodes)
            g.Message(1, n => WriteNode(n, node));                  // GraphProto.node
        g.String(2, model.Name);                                    // name
        foreach (var tensor in model.Graph.Initializers)
            g.Message(5, t => WriteTensor(t, tensor));              // initializer
        g.Message(11, v => WriteValue(v, model.Input));             // input
        g.Message(12, v => WriteValue(v, model.Output));            // output
    }

    private static void WriteNode(ProtoWriter n, OnnxNode node)
    {
        foreach (var input in node.Inputs)
            n.String(1, input);                                     // NodeProto.input
        foreach (var output in node.Outputs)
            n.String(2, output);                                    // output
        n.String(3, node.Outputs[0]);                               // name (named after its first output)
        n.String(4, node.OpType);                                   // op_type
        foreach (var attribute in node.Attributes)
            n.Message(5, a => WriteAttribute(a, attribute));        // attribute
    }

    private static void WriteAttribute(ProtoWriter a, OnnxAttribute attribute)
    {
        a.String(1, attribute.Name);                                // AttributeProto.name
        if (attribute.Float is { } f)
        {
            a.Float(2, f);                                          // f
            a.Int(20, AttributeFloat);                              // type
        }
        else if (attribute.String is { } s)
        {
            a.String(4, s);                                         // s
            a.Int(20, AttributeString);
        }
        else if (attribute.Int is { } i)
        {
            a.Int(3, i);                                            // i
            a.Int(20, AttributeInt);
        }
        else
        {
            foreach (var value in attribute.Ints ?? [])
                a.Int(8, value);                                    // ints
            a.Int(20, AttributeInts);
        }
    }

    private static void WriteTensor(ProtoWriter t, OnnxTensor tensor)
    {
        foreach (var dim in tensor.Dims)
            t.Int(1, dim);                                          // TensorProto.dims
        t.Int(2, tensor.ElementType);                               // data_type
        t.String(8, tensor.Name);                                   // name
        t.Bytes(9, tensor.RawData);                                 // raw_data, little-endian as ONNX requires
    }

    private static void WriteValue(ProtoWriter v, OnnxValue value)
    {
        v.String(1, value.Name);                                    // ValueInfoProto.name
        v.Message(2, type => type.Message(1, tensor =>              // type { tensor_type {
        {
            tensor.Int(1, value.ElementType);                       //   elem_type
            tensor.Message(2, shape =>                              //   shape {
            {
                foreach (var dim in value.Shape)
                {
                    if (dim.Symbol is { } symbol)
                        shape.Message(1, d => d.String(2, symbol)); // dim { dim_param }
                    else
                        shape.Message(1, d => d.Int(1, dim.Size)); // dim { dim_value }
                }
            });
        }));
    }
}
