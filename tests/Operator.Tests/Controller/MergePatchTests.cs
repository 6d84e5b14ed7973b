using System.Text.Json.Nodes;
using CallImport.Operator.ApiServer;

namespace CallImport.Operator.Tests.Controller;

public sealed class MergePatchTests
{
    [Fact]
    public void Between_ChangedNestedRemovedAndUnchangedMembers_PatchHoldsOnlyTheDifference()
    {
        var before = JsonNode.Parse("""{"phase":"Running","activeRun":"x-r1","processedCalls":3,"metadataQuality":{"full":3,"partial":0},"runs":[{"number":1}]}""");
        var after = JsonNode.Parse("""{"phase":"Completed","processedCalls":3,"metadataQuality":{"full":4,"partial":0},"runs":[{"number":1,"outcome":"Finished"}],"completedAt":"2026-01-01T00:00:00Z"}""");

        var patch = MergePatch.Between(before, after);

        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"phase":"Completed","metadataQuality":{"full":4},"runs":[{"number":1,"outcome":"Finished"}],"completedAt":"2026-01-01T00:00:00Z","activeRun":null}"""),
            patch), patch?.ToJsonString());
    }
}
