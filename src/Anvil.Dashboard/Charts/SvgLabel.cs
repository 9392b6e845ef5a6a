using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace Anvil.Dashboard.Charts;

/// <summary>An SVG &lt;text&gt; element (Razor reserves the tag name for itself, so charts write labels with this).</summary>
public sealed class SvgLabel : ComponentBase
{
    [Parameter, EditorRequired] public double X { get; set; }

    [Parameter, EditorRequired] public double Y { get; set; }

    [Parameter] public string? Anchor { get; set; }

    [Parameter, EditorRequired] public string Text { get; set; } = "";

    /// <summary>Light text, for a dark background (the stylesheet's <c>text.light</c>).</summary>
    [Parameter] public bool Light { get; set; }

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        builder.OpenElement(0, "text");
        builder.AddAttribute(1, "x", ChartScale.Pixel(X));
        builder.AddAttribute(2, "y", ChartScale.Pixel(Y));
        builder.AddAttribute(3, "text-anchor", Anchor);
        builder.AddAttribute(4, "class", Light ? "light" : null);
        builder.AddContent(5, Text);
        builder.CloseElement();
    }
}
