// Runs test tooling standalone (vendor fakes and PostgreSQL for `make demo`). One command per tool.
using CallImport.Testing.Fakes.Dialpad;
using CallImport.Testing.Fakes.Fathom;
using CallImport.Testing.Fakes.Fireflies;
using CallImport.Testing.Fakes.Gong;
using CallImport.Testing.Fakes.Grain;
using CallImport.Testing.Fakes.HubSpot;
using CallImport.Testing.Fakes.RingCentral;
using CallImport.Testing.Fakes.Zoom;
using CallImport.Testing.Postgres;

const string usage = "Usage: CallImport.Testing <command> [options]\nCommands:\n  " + GrainFakeCommand.Usage + "\n  " + GongFakeCommand.Usage + "\n  " + DialpadFakeCommand.Usage + "\n  " + HubSpotFakeCommand.Usage + "\n  " + FathomFakeCommand.Usage + "\n  " + FirefliesFakeCommand.Usage + "\n  " + RingCentralFakeCommand.Usage + "\n  " + ZoomFakeCommand.Usage + "\n  " + PostgresCommand.Usage;

switch (args.FirstOrDefault())
{
    case "dialpad-fake":
        return await DialpadFakeCommand.RunAsync(args[1..]);
    case "fathom-fake":
        return await FathomFakeCommand.RunAsync(args[1..]);
    case "fireflies-fake":
        return await FirefliesFakeCommand.RunAsync(args[1..]);
    case "grain-fake":
        return await GrainFakeCommand.RunAsync(args[1..]);
    case "gong-fake":
        return await GongFakeCommand.RunAsync(args[1..]);
    case "hubspot-fake":
        return await HubSpotFakeCommand.RunAsync(args[1..]);
    case "ringcentral-fake":
        return await RingCentralFakeCommand.RunAsync(args[1..]);
    case "zoom-fake":
        return await ZoomFakeCommand.RunAsync(args[1..]);
    case "postgres":
        return await PostgresCommand.RunAsync(args[1..]);
    default:
        await Console.Error.WriteLineAsync(usage);
        return 2;
}
