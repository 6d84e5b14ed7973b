using System.Text.Json;
using System.Text.Json.Serialization;

namespace CallImport.ImportRunner.Platforms.Manual;

/// <summary>
/// The listing payload (<see cref="UploadEntry"/>), generated at build time: reflection-based serialisation emitted
/// and JIT-compiled about 150 methods on a run's first calls, a tenth of a 2,000-call import's CPU before its work.
/// Web defaults, as the payloads of earlier runs were written.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(UploadEntry))]
internal sealed partial class ManualJson : JsonSerializerContext;
