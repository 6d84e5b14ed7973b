using System.Threading.RateLimiting;
using CallImport.Store;

namespace CallImport.ImportRunner.Limits;

/// <summary>
/// One limit group as a <see cref="RateLimiter"/>: never more than its permit limit in any window (sliding,
/// exact, also at start-up), on <see cref="TimeProvider"/>. Throttle signals make the whole group quiet
/// until they end (a penalty window: slots already handed out are taken again after it, paced), and a 429
/// teaches the group the vendor's real limit when it is lower than declared (<see cref="ThrottleDecision"/>).
/// With a <see cref="IRateWindowStore"/> the slots come from the budget shared by every process on the credential.
/// </summary>
public sealed class LimitGroupRateLimiter : RateLimiter
{
    private readonly Lock _lock = new();
    private readonly LimitGroup _group;
    private readonly TimeProvider _time;
    private readonly IRateWindowStore? _shared;
    private readonly SlidingWindowLog _slots = new();
    private readonly SlidingWindowLog _sent = new();
    private readonly SlidingWindowLog _refused = new();
    private readonly SlidingWindowLog _unsent = new();
    private readonly SlidingWindowLog _burstAdmitted = new();
    private readonly SlidingWindowLog _sharedOwn = new();
    private readonly Queue<SharedSlot> _sharedBefore = new();
    private readonly Dictionary<long, (long Budget, bool Own)> _budgetUnused = [];
    private readonly List<(long SentAt, long RefusedSlot, long At)> _recentRefusals = [];
    /// <summary>The in-process waiters' slots, in time order: a late request shifts those at or after its own.</summary>
    private readonly LinkedList<PlannedSlot> _planned = new();
    private readonly long _windowTicks;
    private readonly long _slackTicks;
    private LearnedLimit _learned;

    /// <summary>When a throttle first made the group paced: the slots before went in bursts (long.MaxValue: they still do).</summary>
    private long _pacedSince = long.MaxValue;
    private long _quietUntil;
    private int _generation;
    private long _granted;
    private bool _coldStartHeld;
    private long _waiting;
    private long _missed;
    private long _moved;
    private long _shiftedTicks;
    /// <summary>The cold start's hold (long.MinValue: none): the first request may reach the vendor as late as that.</summary>
    private long _coldStartHeldAt = long.MinValue;
    private SharedSlotBatcher? _batcher;

    public LimitGroupRateLimiter(LimitGroup group, TimeProvider time, IRateWindowStore? shared = null)
    {
        _group = group;
        _time = time;
        _shared = shared;
        _learned = LearnedLimit.Declared(group);
        _windowTicks = GroupWindowSettings.Effective(group.Window).Ticks;
        _slackTicks = GroupWindowSettings.Slack(group.Window).Ticks;
        if (shared is not null) _batcher = new SharedSlotBatcher(shared, group, this);
    }

    public LimitGroup Group => _group;

    /// <summary>The limit in force: the declared one, or lower after the vendor throttled below it.</summary>
    public int PermitLimit { get { lock (_lock) return _learned.Limit; } }

    /// <summary>What throttles taught the group so far.</summary>
    public LearnedLimit Learned { get { lock (_lock) return _learned; } }

    /// <summary>How many times a throttle signal reached this group.</summary>
    public int Throttles { get; private set; }

    private long Now => _time.GetUtcNow().UtcTicks;

    /// <summary>The window the limiter keeps: the declared one plus a slack on each side (GroupWindowSettings).</summary>
    public TimeSpan EffectiveWindow => TimeSpan.FromTicks(_windowTicks);
    internal TimeSpan Slack => TimeSpan.FromTicks(_slackTicks);
    internal TimeProvider Time => _time;

    /// <summary>Never idle: the partitioned limiter must not drop a group, whose log is its memory of the window.</summary>
    public override TimeSpan? IdleDuration => null;

    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_lock) return new RateLimiterStatistics
        {
            CurrentAvailablePermits = Math.Max(0, _learned.Limit - _sent.CountInWindow(Now, _windowTicks)),
            CurrentQueuedCount = _waiting,
            TotalSuccessfulLeases = _granted,
        };
    }

    /// <summary>Takes a slot only when one is free right now (never for a shared budget, which needs a round trip).</summary>
    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        if (permitCount != 1) throw new ArgumentOutOfRangeException(nameof(permitCount), "Each request takes one permit.");
        if (_shared is not null) return FailedLease.Instance;
        lock (_lock)
        {
            var now = Now;
            RaiseIfClean(now);
            if (now < _quietUntil) return FailedLease.Instance;
            if (_slots.NextSlot(now, _quietUntil, _learned.Limit, _windowTicks, Spacing) > now) return FailedLease.Instance;
            var slot = _slots.Reserve(now, _quietUntil, _learned.Limit, _windowTicks, Spacing);
            Granted(slot);
            return new SlotLease(new RequestSlot(new DateTimeOffset(slot, TimeSpan.Zero), new DateTimeOffset(slot + _slackTicks, TimeSpan.Zero)));
        }
    }

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        if (permitCount != 1) throw new ArgumentOutOfRangeException(nameof(permitCount), "Each request takes one permit.");
        Interlocked.Increment(ref _waiting);
        try
        {
            while (true)
            {
                long slot, deadline;
                int generation;
                PlannedSlot? planned = null;
                if (_batcher is not null)
                {
                    // Slots asked for before a throttle replanned the group are asked for again, as in-process ones
                    // are: planned at the old limit, unpaced, they would go as the burst the vendor just refused.
                    lock (_lock) generation = _generation;
                    var shared = await _batcher.ReserveAsync(cancellationToken).ConfigureAwait(false);
                    (slot, deadline) = (shared.At.UtcTicks, shared.Deadline.UtcTicks);
                }
                else
                {
                    lock (_lock)
                    {
                        var now = Now;
                        RaiseIfClean(now);
                        slot = _slots.Reserve(now, _quietUntil, _learned.Limit, _windowTicks, Spacing);
                        deadline = slot + _slackTicks;
                        generation = _generation;
                        if (!_coldStartHeld && GroupWindowSettings.NeedsColdStartHold(_group.Window))
                        {
                            // The first request may arrive late (see GroupWindowSettings.ColdStart): keep its latest arrival too.
                            _coldStartHeldAt = _slots.Reserve(now, slot + GroupWindowSettings.ColdStart.Ticks, _learned.Limit, _windowTicks, Spacing);
                            deadline = slot + GroupWindowSettings.ColdStart.Ticks;
                            _coldStartHeld = true;
                        }
                        // Due now (no timer under a millisecond): granted under this same lock, the fast path at high rates.
                        if (slot - now < GroupWindowSettings.ShortestTimer.Ticks)
                        {
                            Granted(slot);
                            return new SlotLease(new RequestSlot(new DateTimeOffset(slot, TimeSpan.Zero), new DateTimeOffset(deadline, TimeSpan.Zero)));
                        }
                        planned = new PlannedSlot(slot, deadline - slot);
                        planned.Node = _planned.AddLast(planned);
                    }
                }
                var unused = false;
                while (true)
                {
                    var delay = TimeSpan.FromTicks(slot - Now);
                    try
                    {
                        if (delay >= GroupWindowSettings.ShortestTimer) await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        // The call ended (or the run stopped) while it waited: its shared slot goes unused.
                        lock (_lock) Unplan(planned);
                        ReportUnused(slot);
                        throw;
                    }
                    lock (_lock)
                    {
                        // A late request before this one shifted its slot while it slept: it sleeps on to the new time.
                        if (planned is not null) (slot, deadline) = (planned.At, planned.Deadline);
                        // A throttle signal arrived while we waited: the whole group is quiet, this slot too; or the
                        // group's slots were planned again (a lower limit, paced): this one is no longer in the plan.
                        if (_quietUntil > slot || generation != _generation) unused = true;
                        // Or the timer woke early (whole milliseconds on a coarse tick: up to 6.8 ms measured, in-process or shared
                        // slot alike): sent now, the request would land in the window before, eating the slack kept for the network.
                        else if (slot - Now >= GroupWindowSettings.ShortestTimer.Ticks) continue;
                        else
                        {
                            var now = Now;
                            if (now > deadline) (slot, deadline, unused) = Late(slot, now);
                            if (!unused) Granted(slot);
                        }
                        Unplan(planned);
                    }
                    break;
                }
                if (unused)
                {
                    ReportUnused(slot);
                    continue;
                }
                return new SlotLease(new RequestSlot(new DateTimeOffset(slot, TimeSpan.Zero), new DateTimeOffset(deadline, TimeSpan.Zero)));
            }
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    /// <summary>
    /// Woken too late for the slot at <paramref name="slot"/> (a busy machine, a stalled process): sent now, the request would
    /// crowd the window after its slot's. It goes now when the window has room there (the slot moves alone), or when the
    /// slots at or after its own may all follow it by its lateness (<see cref="LateSlotDecision"/>); else the slot stays
    /// unused, a whole slot of the window lost, and the request takes another. The shared budget's slots are planned with
    /// other processes' between them, which this process cannot move: there a late slot moves never.
    /// </summary>
    private (long Slot, long Deadline, bool Unused) Late(long slot, long now)
    {
        if (_batcher is null && Spacing == 0 && _slots.TryMove(slot, now, _learned.Limit, _windowTicks))
        {
            _moved++;
            return (now, now + _slackTicks, false);
        }
        if (LateSlotDecision.MayShift(slot, now, _sent.Latest, _coldStartHeldAt, _windowTicks, _batcher is not null))
        {
            ShiftPlanned(slot, now - slot);
            _moved++;
            _shiftedTicks += now - slot;
            return (now, now + _slackTicks, false);
        }
        _missed++;
        return (slot, slot + _slackTicks, true);
    }

    /// <summary>The waiters' slots at or after <paramref name="from"/> (the late one's too) and the log's, <paramref name="by"/> later.</summary>
    private void ShiftPlanned(long from, long by)
    {
        var atFrom = 0;
        for (var node = _planned.Last; node is not null && node.Value.At >= from; node = node.Previous)
        {
            if (node.Value.At == from) atFrom++;
            node.Value.At += by;
        }
        _slots.ShiftFrom(from, atFrom, by);
    }

    /// <summary>A waiter's slot leaves the plan (granted, unused, or its call ended).</summary>
    private void Unplan(PlannedSlot? planned)
    {
        if (planned?.Node is { List: not null } node) _planned.Remove(node);
    }

    /// <summary>Slots left unused because their request could not leave in time (woken late, answered late).</summary>
    public long Missed { get { lock (_lock) return _missed + (_batcher?.Missed ?? 0); } }

    /// <summary>Slots whose request was woken after their deadline and went when woken (alone where the window had room, else with the later slots shifted).</summary>
    public long Moved { get { lock (_lock) return _moved; } }

    /// <summary>How much later the planned slots went in all, shifted after late requests: what late wakes cost the group.</summary>
    public TimeSpan ShiftedBy { get { lock (_lock) return TimeSpan.FromTicks(_shiftedTicks); } }

    /// <summary>
    /// A request may go on <paramref name="slot"/>: kept by its slot's time, the time the budget (and a refusal, which
    /// names the refused request's slot) knows it by. Requests woken out of their slots' order are kept in slot order.
    /// </summary>
    private void Granted(long slot)
    {
        _granted++;
        _sent.Record(slot, Now, _windowTicks);
    }

    /// <summary>
    /// The vendor throttled a request of this group sent at <paramref name="sentAt"/> on the slot at
    /// <paramref name="slotAt"/> (not known: taken as <paramref name="sentAt"/>). The group goes quiet for
    /// <paramref name="retryAfter"/> (when said, to the tick: not rounded), and its limit follows
    /// <see cref="ThrottleDecision"/>. Slots planned but not yet taken are planned again from the new state, so the
    /// requests that waited behind a Retry-After go paced, not all at its end.
    /// </summary>
    public void OnThrottled(TimeSpan? retryAfter, DateTimeOffset sentAt, DateTimeOffset? slotAt = null)
    {
        lock (_lock)
        {
            Throttles++;
            var now = Now;
            var replan = false;
            if (retryAfter is { } wait && wait > TimeSpan.Zero && now + wait.Ticks + _slackTicks > _quietUntil)
            {
                _quietUntil = now + wait.Ticks + _slackTicks;
                replan = true;
            }
            // What the vendor let through before refusing: ours in the window up to the refused request, itself left out, and
            // with a shared budget the other processes' too, as many as the budget held before the refused request's slot.
            // A burst's requests share a time and leave in any order, so the refused one's "before" holds the burst's others:
            // those refused too (known as their answers come) did not get through and are left out, and a later refusal of
            // the same episode lowers the limit to that (counted as through, one refused alongside taught one too many).
            var refusedSlot = (slotAt ?? sentAt).UtcTicks;
            _refused.Record(refusedSlot, now, _windowTicks);
            // Other processes' unused slots reported after this answer was counted teach it again (RememberShared).
            if (_shared is not null)
            {
                _recentRefusals.RemoveAll(r => now - r.At > 2 * _windowTicks);
                _recentRefusals.Add((sentAt.UtcTicks, refusedSlot, now));
            }
            var sentBefore = ThroughOrBurstAdmitted(sentAt.UtcTicks, refusedSlot, now);
            var learned = ThrottleDecision.Throttled(_learned, _group, EffectiveWindow, At(now), sentAt, sentBefore);
            if (learned != _learned)
            {
                _learned = learned;
                if (learned.Paced && _pacedSince == long.MaxValue) _pacedSince = now;
                replan = true;
            }
            if (replan) Replan(now);
        }
    }

    /// <summary>
    /// The vendor answered a request of this group sent at <paramref name="sentAt"/> on the slot at <paramref name="slotAt"/>
    /// without a throttle: it got through. Kept only for the requests sent in bursts, before the first throttle: a burst's
    /// requests reach the vendor in any order, so the refused one may have left before others the vendor counted first,
    /// and what was sent before it undercounts what got through (26 sent at once against 20 allowed once taught 12, a
    /// third of the real limit unused for the 30 windows before the first probe). Paced requests leave a window ÷ limit
    /// apart, in order; there the count before the refused one stands, and a vendor lowering its limit is believed.
    /// </summary>
    public void OnAdmitted(DateTimeOffset sentAt, DateTimeOffset? slotAt = null)
    {
        lock (_lock)
        {
            var slot = (slotAt ?? sentAt).UtcTicks;
            if (slot >= _pacedSince) return;
            var now = Now;
            _burstAdmitted.Record(slot, now, _windowTicks);
            if (_pacedSince == long.MaxValue || !BurstEpisode) return;
            var learned = ThrottleDecision.Admitted(_learned, _group, BurstAdmitted(now));
            if (learned == _learned) return;
            _learned = learned;
            Replan(now);
        }
    }

    /// <summary>
    /// Slots planned but not yet taken are planned again: their waiters, seeing the new generation, ask anew. The log
    /// keeps only the newest slots, with waiters queued all planned ones: the requests just sent (and a cold start's hold)
    /// go back in, else the new plan would count from an empty window (seen: five sent at 12 s, the next let go at 12.66 s).
    /// </summary>
    private void Replan(long now)
    {
        _slots.DropAfter(now);
        _slots.IncludeAtLeast(_sent, now - _windowTicks);
        if (_coldStartHeldAt > now) _slots.Record(_coldStartHeldAt, now, _windowTicks);
        _planned.Clear();
        _generation++;
    }

    /// <summary>
    /// No throttle yet, or the latest lowering is still the first throttle's: the bursts' answers speak of it. Once a later
    /// refusal lowered the limit (a window on, paced), a burst's answer coming that late teaches nothing more.
    /// </summary>
    private bool BurstEpisode => _pacedSince == long.MaxValue || _learned.Lowered.UtcTicks == _pacedSince;

    /// <summary>Burst requests let through in the window up to the first throttle (or up to now, before it).</summary>
    private int BurstAdmitted(long now) => _burstAdmitted.CountInWindow(Math.Min(_pacedSince, now), _windowTicks);

    /// <summary>What the vendor let through before a refused request: <see cref="Through"/>, or for a request of a burst, at least the burst's requests known to have got through.</summary>
    private int ThroughOrBurstAdmitted(long sentAt, long refusedSlot, long now)
    {
        var through = Through(sentAt, refusedSlot);
        return refusedSlot < _pacedSince && BurstEpisode ? Math.Max(through, BurstAdmitted(now)) : through;
    }

    /// <summary>
    /// A request granted the slot at <paramref name="slotAt"/> did not go on it after all (it reached its connection after
    /// the slot's deadline, and takes a new one): it is not among the requests the vendor let through.
    /// </summary>
    public void NotSent(DateTimeOffset slotAt)
    {
        lock (_lock) _unsent.Record(slotAt.UtcTicks, Now, _windowTicks);
        ReportUnused(slotAt.UtcTicks);
    }

    /// <summary>A shared slot of this process that no request went on: reported to the budget (nothing without one).</summary>
    private void ReportUnused(long slot)
    {
        if (_batcher is null) return;
        RateSlot? report;
        lock (_lock) report = TakeUnused(slot);
        // Outside the lock: the batcher takes its own lock, then this one (SharedRequest).
        if (report is { } r) _batcher.Report(r);
    }

    /// <summary>
    /// The budget's record of this process's shared slot at <paramref name="slot"/> (its clock) not yet reported unused,
    /// now marked as reported; null when not remembered (older than the counts kept, or the budget gives no numbers).
    /// Of slots sharing that time, the one reserved first: a refusal of another process's request then counts one request
    /// fewer before it, never one more.
    /// </summary>
    internal RateSlot? TakeUnused(long slot)
    {
        lock (_lock)
        {
            SharedSlot? found = null;
            foreach (var shared in _sharedBefore)
                if (shared.Local == slot && shared.Sequence >= 0 && !_budgetUnused.ContainsKey(shared.Sequence) && (found is not { } f || shared.Sequence < f.Sequence))
                    found = shared;
            if (found is not { } unused) return null;
            _budgetUnused[unused.Sequence] = (unused.Budget, Own: true);
            return new RateSlot(new DateTimeOffset(unused.Budget, TimeSpan.Zero), unused.Sequence);
        }
    }

    /// <summary>
    /// A batch of slots the shared budget gave this process (<paramref name="local"/>: on this process's clock; the answer:
    /// on the budget's), each with its count of the credential's slots before it in its window and its number (none: a
    /// budget before V7 / V9), and the credential's slots reported unused. Every slot is kept as this process's, used or
    /// not; the counts for the last <see cref="SharedCountsKept"/> (a refusal answers a recent one; at rates where that is
    /// not enough, the process's own count is what is left). Unused slots newly known correct the recent refusals' lesson.
    /// </summary>
    internal void RememberShared(IReadOnlyList<DateTimeOffset> local, RateSlots answer)
    {
        lock (_lock)
        {
            var now = Now;
            for (var i = 0; i < local.Count; i++)
            {
                var slot = local[i].UtcTicks;
                _sharedOwn.Record(slot, now, _windowTicks);
                if (i >= answer.InWindowBefore.Count) continue;
                _sharedBefore.Enqueue(new SharedSlot(slot, answer.InWindowBefore[i], answer.Slots[i].UtcTicks, i < answer.Sequences.Count ? answer.Sequences[i] : -1));
                if (_sharedBefore.Count > SharedCountsKept) _sharedBefore.Dequeue();
            }
            var learnt = false;
            foreach (var unused in answer.Unused) learnt |= _budgetUnused.TryAdd(unused.Sequence, (unused.At.UtcTicks, Own: false));
            if (_budgetUnused.Count > 0)
            {
                // Kept a window longer than the budget keeps them: what it still answers is never forgotten here first.
                var forget = answer.DatabaseNow.UtcTicks - 3 * _windowTicks;
                foreach (var (sequence, (budget, _)) in _budgetUnused)
                    if (budget <= forget) _budgetUnused.Remove(sequence);
            }
            if (learnt) Relearn(now);
        }
    }

    /// <summary>
    /// The recent refusals counted again with the unused slots known now: other processes report theirs with their next
    /// batch, which may come after the refusal. Only ever lower, as a later refusal of the same episode does.
    /// </summary>
    private void Relearn(long now)
    {
        _recentRefusals.RemoveAll(r => now - r.At > 2 * _windowTicks);
        var replan = false;
        foreach (var (sentAt, refusedSlot, _) in _recentRefusals)
        {
            if (sentAt > _learned.Lowered.UtcTicks) continue;
            var sentBefore = ThroughOrBurstAdmitted(sentAt, refusedSlot, now);
            var learned = ThrottleDecision.Throttled(_learned, _group, EffectiveWindow, At(now), At(sentAt), sentBefore);
            if (learned == _learned) continue;
            _learned = learned;
            replan = true;
        }
        if (!replan) return;
        Replan(now);
    }

    /// <summary>One of this process's shared slots: on its clock, its count of the credential's before it, on the budget's clock, its number (−1: none).</summary>
    private readonly record struct SharedSlot(long Local, int Before, long Budget, long Sequence);

    private const int SharedCountsKept = 256;

    /// <summary>
    /// What the vendor let through before the request sent at <paramref name="sentAt"/> on <paramref name="refusedSlot"/>:
    /// counted up to the later of the two, as a slot due within the shortest timer is granted that much early and its
    /// request may leave before the slot's time (counted up to then, it would leave itself out of its own window).
    /// </summary>
    private int Through(long sentAt, long refusedSlot)
    {
        var at = Math.Max(sentAt, refusedSlot);
        return Math.Max(OwnThrough(at, refusedSlot), SharedThrough(at, refusedSlot));
    }

    /// <summary>
    /// This process's requests in the window up to <paramref name="at"/> that the vendor let through, as far as known: those
    /// granted on a slot in it, less those that did not go on it, the refused one (on <paramref name="refusedSlot"/>) and the
    /// others refused there.
    /// </summary>
    private int OwnThrough(long at, long refusedSlot)
    {
        var refusedHere = refusedSlot > at - _windowTicks && refusedSlot <= at ? 1 : 0;
        var othersRefused = _refused.CountInWindow(at, _windowTicks) - refusedHere;
        return Math.Max(0, _sent.CountInWindow(at, _windowTicks) - _unsent.CountInWindow(at, _windowTicks) - 1 - othersRefused);
    }

    /// <summary>
    /// The credential's requests the vendor let through before the refused one, from the count the budget held with this
    /// process's latest shared slot at or before <paramref name="sentAt"/> (of a burst's, sharing that time, the one reserved
    /// last: it counts the others): the other processes' slots in it less those reported unused (spares, missed, not sent,
    /// every cold start's spare, this process's too), and this process's own as <see cref="OwnThrough"/> counts them: not
    /// its slots still waiting, nor those refused. 0 if none. The unused slots are compared on the budget's clock, by
    /// number: exactly those the count held, also at the window's edge and at the slot's own time.
    /// </summary>
    private int SharedThrough(long sentAt, long refusedSlot)
    {
        SharedSlot? found = null;
        foreach (var slot in _sharedBefore)
            if (slot.Local <= sentAt && sentAt - slot.Local < _windowTicks
                && (found is not { } f || slot.Local > f.Local || slot.Local == f.Local && (slot.Before > f.Before || slot.Before == f.Before && slot.Sequence > f.Sequence)))
                found = slot;
        if (found is not { } latest) return 0;
        var unused = 0;
        if (latest.Sequence >= 0)
            foreach (var (sequence, (budget, own)) in _budgetUnused)
                if (!own && sequence < latest.Sequence && budget > latest.Budget - _windowTicks) unused++;
        var others = Math.Max(0, latest.Before + 1 - _sharedOwn.CountInWindow(latest.Local, _windowTicks) - unused);
        return others + OwnThrough(latest.Local, refusedSlot);
    }

    /// <summary>Quiet time another process recorded in the shared budget, honoured here too.</summary>
    internal void QuietUntil(long ticks)
    {
        lock (_lock) _quietUntil = Math.Max(_quietUntil, ticks);
    }

    /// <summary>
    /// What a batch asks of the shared budget: the limit in force, the quiet time left, and, once a throttle made
    /// this group paced, how long every process on the credential must pace at that limit too (renewed with each
    /// batch; lapses a backoff's worth of windows after this process stops asking).
    /// </summary>
    internal (int PermitLimit, TimeSpan QuietFor, TimeSpan PacedFor) SharedRequest()
    {
        lock (_lock)
        {
            var now = Now;
            RaiseIfClean(now);
            var pacedFor = _learned.Paced ? ThrottleDecision.FirstBackoffWindows * EffectiveWindow : TimeSpan.Zero;
            return (_learned.Limit, TimeSpan.FromTicks(Math.Max(0, _quietUntil - now)), pacedFor);
        }
    }

    private void RaiseIfClean(long now) => _learned = ThrottleDecision.BeforeSlot(_learned, _group, EffectiveWindow, At(now));

    /// <summary>Paced (after a throttle): at least a window ÷ limit between slots.</summary>
    private long Spacing => _learned.Paced ? _windowTicks / _learned.Limit : 0;

    private static DateTimeOffset At(long ticks) => new(ticks, TimeSpan.Zero);

    protected override void Dispose(bool disposing)
    {
        if (disposing) _batcher?.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>A granted slot; its time and deadline are in the metadata for the multi-group check.</summary>
    public sealed class SlotLease(RequestSlot slot) : RateLimitLease
    {
        public static readonly MetadataName<RequestSlot> SlotName = new("callimport.slot");
        public RequestSlot Slot { get; } = slot;
        public override bool IsAcquired => true;
        public override IEnumerable<string> MetadataNames => [SlotName.Name];
        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = metadataName == SlotName.Name ? Slot : null;
            return metadata is not null;
        }
    }

    /// <summary>An in-process waiter's slot (its time moves when a late request before it shifts the plan) and its hold past it.</summary>
    private sealed class PlannedSlot(long at, long hold)
    {
        public long At { get; set; } = at;
        public long Deadline => At + hold;
        public LinkedListNode<PlannedSlot>? Node { get; set; }
    }

    private sealed class FailedLease : RateLimitLease
    {
        public static readonly FailedLease Instance = new();
        public override bool IsAcquired => false;
        public override IEnumerable<string> MetadataNames => [];
        public override bool TryGetMetadata(string metadataName, out object? metadata) { metadata = null; return false; }
    }
}
