using System.Text.Json;

namespace CallImport.Deploy.Tests;

/// <summary>A Dockerfile read as instructions (continuation lines joined, comments dropped), split into stages.</summary>
internal sealed record Dockerfile(IReadOnlyList<Dockerfile.Stage> Stages, IReadOnlyList<Dockerfile.Instruction> Preamble)
{
    public sealed record Instruction(string Keyword, string Arguments);

    public sealed record Stage(string Image, string? Name, IReadOnlyList<Instruction> Instructions)
    {
        public IEnumerable<string> All(string keyword) => Instructions.Where(i => i.Keyword == keyword).Select(i => i.Arguments);

        public string? Last(string keyword) => All(keyword).LastOrDefault();

        /// <summary>ENV and LABEL pairs (key=value, values possibly quoted).</summary>
        public Dictionary<string, string> Pairs(string keyword)
        {
            var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var arguments in All(keyword))
            {
                foreach (var token in Tokens(arguments))
                {
                    var eq = token.IndexOf('=', StringComparison.Ordinal);
                    if (eq > 0)
                        pairs[token[..eq]] = token[(eq + 1)..].Trim('"');
                }
            }
            return pairs;
        }

        /// <summary>An exec-form instruction (ENTRYPOINT ["a", "b"]) as its words.</summary>
        public string[] ExecForm(string keyword) => JsonSerializer.Deserialize<string[]>(Last(keyword) ?? "[]") ?? [];
    }

    public Stage Final => Stages[^1];

    public static Dockerfile Read(string path)
    {
        var lines = new List<string>();
        var current = "";
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.TrimEnd();
            if (line.TrimStart().StartsWith('#') && current.Length == 0)
                continue;
            if (line.EndsWith('\\'))
            {
                current += line[..^1] + " ";
                continue;
            }
            current += line;
            if (current.Trim().Length > 0)
                lines.Add(current.Trim());
            current = "";
        }

        var preamble = new List<Instruction>();
        var stages = new List<Stage>();
        List<Instruction>? instructions = null;
        foreach (var line in lines)
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var instruction = new Instruction(line[..space].ToUpperInvariant(), line[(space + 1)..].Trim());
            if (instruction.Keyword == "FROM")
            {
                var words = instruction.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                instructions = [];
                stages.Add(new Stage(words[0], words.Length == 3 ? words[2] : null, instructions));
            }
            else
            {
                (instructions ?? preamble).Add(instruction);
            }
        }
        return new Dockerfile(stages, preamble);
    }

    /// <summary>The image of a stage with the preamble's ARG defaults substituted.</summary>
    public string ImageOf(Stage stage)
    {
        var image = stage.Image;
        foreach (var arg in Preamble.Where(i => i.Keyword == "ARG").Select(i => i.Arguments.Split('=', 2)).Where(a => a.Length == 2))
            image = image.Replace("${" + arg[0] + "}", arg[1], StringComparison.Ordinal);
        return image;
    }

    private static IEnumerable<string> Tokens(string text)
    {
        var token = new System.Text.StringBuilder();
        var quoted = false;
        foreach (var c in text)
        {
            if (c == '"') quoted = !quoted;
            if (char.IsWhiteSpace(c) && !quoted)
            {
                if (token.Length > 0) yield return token.ToString();
                token.Clear();
                continue;
            }
            token.Append(c);
        }
        if (token.Length > 0) yield return token.ToString();
    }
}
