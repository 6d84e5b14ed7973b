// Runs test tooling standalone (vendor fakes for `make demo`). One command per tool.
using CallImport.Testing.Fakes.Grain;

const string usage = "Usage: CallImport.Testing <command> [options]\nCommands:\n  " + GrainFakeCommand.Usage;

switch (args.FirstOrDefault())
{
    case "grain-fake":
        return await GrainFakeCommand.RunAsync(args[1..]);
    default:
        await Console.Error.WriteLineAsync(usage);
        return 2;
}
