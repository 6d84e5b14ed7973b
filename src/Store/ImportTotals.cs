namespace CallImport.Store;

/// <summary>
/// What one import has done so far, as the store keeps it: call counts by state and the runners' measurements.
/// Rows are never deleted, so sums over imports only grow (failed calls excepted: a retry puts them back to pending).
/// </summary>
public sealed record ImportTotals(string ImportId, string Platform, long DoneCalls, long FailedCalls, RunStatistics Statistics);
