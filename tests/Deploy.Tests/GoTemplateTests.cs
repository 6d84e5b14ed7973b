using CallImport.Deploy.Tests.Rendering;

namespace CallImport.Deploy.Tests;

/// <summary>The chart renderer follows text/template and Helm where a chart can go wrong.</summary>
public sealed class GoTemplateTests
{
    [Theory]
    [InlineData("a  {{- 1 -}}  b", "", "a1b")]
    [InlineData("a\n  {{- /* note */}}\nb", "", "a\nb")]
    [InlineData("{{ if .x }}yes{{ else if .y }}maybe{{ else }}no{{ end }}", "{x: false, y: true}", "maybe")]
    [InlineData("{{ range $k, $v := .m }}{{ $k }}={{ $v }};{{ end }}", "{m: {b: 2, a: 1}}", "a=1;b=2;")]
    [InlineData("{{ range .l }}[{{ . }}]{{ else }}none{{ end }}", "{l: []}", "none")]
    [InlineData("{{ with .m }}{{ .a }}{{ else }}empty{{ end }}", "{m: {}}", "empty")]
    [InlineData("{{ .n }}", "{n: 1000000}", "1e+06")]
    [InlineData("{{ .n }}|{{ int .n }}", "{n: 86400}", "86400|86400")]
    [InlineData("{{ .s | quote }}", "{s: 'a \"b\"'}", "\"a \\\"b\\\"\"")]
    [InlineData("{{ .n | quote }}", "{n: 8080}", "\"8080\"")]
    [InlineData("{{ default \"x\" .s }}", "{s: ''}", "x")]
    [InlineData("{{ and .a .b }}|{{ or .a .b }}", "{a: 0, b: 'z'}", "0|z")]
    [InlineData("{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ $y := 3 }}{{ end }}{{ $x }}", "{}", "2")]
    [InlineData("{{- define \"t\" }}[{{ .v }}]{{ end -}}{{ include \"t\" . | nindent 2 }}", "{v: 1}", "\n  [1]")]
    [InlineData("{{ toYaml .m | indent 2 }}", "{m: {b: [1, x], a: 'true'}}", "  a: \"true\"\n  b:\n  - 1\n  - x")]
    [InlineData("{{ printf \"%s-%s\" .a .b | trunc 3 | trimSuffix \"-\" }}", "{a: ab, b: cd}", "ab")]
    [InlineData("{{ join \",\" .l }}", "{l: [a, b]}", "a,b")]
    [InlineData("{{ gt (int .n) 1 }}", "{n: 2}", "true")]
    [InlineData("{{ .missing }}", "{}", null)]
    [InlineData("{{ .a.b }}", "{a: null}", null)]
    [InlineData("{{ eq .n 1 }}", "{n: 1}", null)]
    [InlineData("{{ required \"set x\" .x }}", "{x: ''}", null)]
    [InlineData("{{ if .x }}", "{x: 1}", null)]
    public void Renders_AsHelmWould(string template, string data, string? expected)
    {
        if (expected is null)
            Assert.Throws<TemplateException>(() => GoTemplate.Render(template, data.Length == 0 ? "{}" : data));
        else
            Assert.Equal(expected, GoTemplate.Render(template, data.Length == 0 ? "{}" : data));
    }

    [Fact]
    public void Required_StopsWithItsMessage()
    {
        var error = Assert.Throws<TemplateException>(() => GoTemplate.Render("{{ required \"database.existingSecret is required\" .s }}", "{s: ''}"));
        Assert.Contains("database.existingSecret is required", error.Message, StringComparison.Ordinal);
    }
}
