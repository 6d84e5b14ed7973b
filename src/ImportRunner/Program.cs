using System.CommandLine;
using CallImport.ImportRunner.Cli;

RunnerDiagnostics.Start();

var root = new RootCommand("CallImport's ImportRunner: imports recorded calls from a platform into the engagement store.")
{
    ImportCommand.Create((arguments, cancellationToken) =>
        new ImportExecution(Console.Out, Console.Error, TimeProvider.System).RunAsync(arguments, cancellationToken)),
    MigrateCommand.Create(Console.Out, Console.Error),
};
// On SIGTERM/Ctrl-C the run stops taking calls and finishes those it holds; give it time to do so.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(25) });
