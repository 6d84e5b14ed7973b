namespace CallImport.ImportRunner.Limits;

/// <summary>
/// The exact sliding-window rule: a new slot goes at the earliest time ≥ now that keeps at most
/// <c>permitLimit</c> slots in any window, i.e. no earlier than the permitLimit-th most recent slot + window.
/// Slots are kept as runs (time, count) of the last permitLimit slots only, so bursts cost one entry and the
/// memory never exceeds the limit. Not thread-safe: the owner locks. Times are ticks of one clock.
/// The same rule runs in PostgreSQL for budgets shared across processes (V4 migration).
/// </summary>
internal sealed class SlidingWindowLog
{
    private (long Ticks, int Count)[] _runs = new (long, int)[16];
    private int _head;
    private int _length;
    private long _total;

    /// <summary>Slots currently remembered (at most the largest limit used).</summary>
    public long Count => _total;

    /// <summary>
    /// Reserves one slot no earlier than <paramref name="notBefore"/>, and at least <paramref name="spacingTicks"/>
    /// after the one before (paced); returns its time.
    /// </summary>
    public long Reserve(long now, long notBefore, int permitLimit, long windowTicks, long spacingTicks = 0)
    {
        var slot = NextSlot(now, notBefore, permitLimit, windowTicks, spacingTicks);
        Append(slot);
        return slot;
    }

    /// <summary>The time the next slot would get, without taking it.</summary>
    public long NextSlot(long now, long notBefore, int permitLimit, long windowTicks, long spacingTicks = 0)
    {
        Forget(now, permitLimit, windowTicks);
        var slot = Math.Max(now, notBefore);
        if (_length > 0)
        {
            var last = Last.Ticks;
            if (last + spacingTicks > slot) slot = last + spacingTicks; // slots stay in order (and paced)
            if (_total >= permitLimit) slot = Math.Max(slot, _runs[_head].Ticks + windowTicks);
        }
        return slot;
    }

    /// <summary>
    /// Records one event at <paramref name="ticks"/> in its place in time, also when later ones are recorded already
    /// (requests granted out of their slots' order, slots reserved ahead), and forgets those two windows older than
    /// <paramref name="now"/>: a window back from a moment up to a window ago (a refused request's answer) is still whole.
    /// </summary>
    public void Record(long ticks, long now, long windowTicks)
    {
        Insert(ticks);
        Forget(now - windowTicks, int.MaxValue, windowTicks);
    }

    /// <summary>Slots in (now − window, now]: what the vendor has seen from us in its last window.</summary>
    public int CountInWindow(long now, long windowTicks)
    {
        var count = 0;
        for (var i = 0; i < _length; i++)
        {
            var (ticks, n) = _runs[(_head + i) % _runs.Length];
            if (ticks > now - windowTicks && ticks <= now) count += n;
        }
        return count;
    }

    /// <summary>Forgets the slots after <paramref name="ticks"/>: planned, not taken, and to be planned again.</summary>
    public void DropAfter(long ticks)
    {
        while (_length > 0 && Last.Ticks > ticks)
        {
            _total -= Last.Count;
            _length--;
        }
    }

    /// <summary>
    /// Moves one slot from <paramref name="from"/> to the later <paramref name="to"/> when that keeps at most
    /// <c>permitLimit</c> slots in any window: a request woken after its slot's deadline then goes now instead of
    /// leaving its slot unused (a whole slot of the window lost per late timer). Only windows that hold
    /// <paramref name="to"/> but not <paramref name="from"/> gain a slot: those ending in [from + window, to + window),
    /// which can hold only slots after <paramref name="from"/> (all remembered: forgetting starts at the oldest).
    /// False (nothing changed) when one of them is full, or the slot is no longer remembered.
    /// </summary>
    public bool TryMove(long from, long to, int permitLimit, long windowTicks)
    {
        if (to <= from) return false;
        var at = -1;
        for (var i = _length - 1; i >= 0; i--)
        {
            var ticks = _runs[(_head + i) % _runs.Length].Ticks;
            if (ticks == from) { at = i; break; }
            if (ticks < from) break;
        }
        if (at < 0) return false;
        if (FullestWindow(at + 1, from + windowTicks, to + windowTicks, windowTicks) >= permitLimit) return false;
        ref var run = ref _runs[(_head + at) % _runs.Length];
        if (run.Count > 1) run.Count--;
        else RemoveAt(at);
        _total--;
        Insert(to);
        return true;
    }

    /// <summary>
    /// Moves every slot after <paramref name="from"/> later by <paramref name="by"/>, and <paramref name="movedAtFrom"/> of
    /// those at <paramref name="from"/> (a late request's and the other waiters' planned there; not those already sent
    /// there): the plan after a late request, which goes <paramref name="by"/> after its slot (<see cref="LateSlotDecision"/>).
    /// The slots moved are the newest, always remembered; of those at <paramref name="from"/>, the ones still remembered.
    /// </summary>
    public void ShiftFrom(long from, int movedAtFrom, long by)
    {
        if (by <= 0) return;
        var index = _length - 1;
        for (; index >= 0 && Run(index).Ticks > from; index--) _runs[(_head + index) % _runs.Length].Ticks += by;
        if (index < 0 || Run(index).Ticks != from || movedAtFrom <= 0) return;
        ref var run = ref _runs[(_head + index) % _runs.Length];
        var moved = Math.Min(movedAtFrom, run.Count);
        if (moved == run.Count) RemoveAt(index);
        else run.Count -= moved;
        _total -= moved;
        for (var i = 0; i < moved; i++) Insert(from + by);
    }

    /// <summary>
    /// Holds at each time at least as many slots as <paramref name="other"/> holds there, for its times after
    /// <paramref name="after"/>: the slots really taken (another log's record of them) back in a log that forgot them.
    /// </summary>
    public void IncludeAtLeast(SlidingWindowLog other, long after)
    {
        var merged = new List<(long Ticks, int Count)>(_length + other._length);
        int i = 0, j = 0;
        while (i < _length || j < other._length)
        {
            if (j < other._length && other.Run(j).Ticks <= after)
            {
                j++;
                continue;
            }
            var mine = i < _length ? Run(i).Ticks : long.MaxValue;
            var theirs = j < other._length ? other.Run(j).Ticks : long.MaxValue;
            if (mine < theirs) merged.Add(Run(i++));
            else if (theirs < mine) merged.Add(other.Run(j++));
            else merged.Add((mine, Math.Max(Run(i++).Count, other.Run(j++).Count)));
        }
        _runs = new (long, int)[Math.Max(16, 2 * merged.Count)];
        merged.CopyTo(_runs);
        (_head, _length, _total) = (0, merged.Count, merged.Sum(r => (long)r.Count));
    }

    /// <summary>The latest slot remembered (long.MinValue: none).</summary>
    public long Latest => _length == 0 ? long.MinValue : Last.Ticks;

    /// <summary>
    /// The most slots (among the runs from index <paramref name="start"/> on) in a window ending in [first, end).
    /// The count only rises at a slot, so the largest is at <paramref name="first"/> or at a slot inside the range.
    /// </summary>
    private int FullestWindow(int start, long first, long end, long windowTicks)
    {
        var fullest = 0;
        var count = 0;
        var lo = start;
        var hi = start;
        for (var x = first; x < end;)
        {
            // The window (x − window, x]: runs up to x in, runs at or before x − window out.
            while (hi < _length && Run(hi).Ticks <= x) count += Run(hi++).Count;
            while (lo < hi && Run(lo).Ticks <= x - windowTicks) count -= Run(lo++).Count;
            fullest = Math.Max(fullest, count);
            if (hi >= _length) break;
            x = Run(hi).Ticks;
        }
        return fullest;
    }

    private (long Ticks, int Count) Run(int index) => _runs[(_head + index) % _runs.Length];

    private void RemoveAt(int index)
    {
        for (var i = index; i < _length - 1; i++) _runs[(_head + i) % _runs.Length] = _runs[(_head + i + 1) % _runs.Length];
        _length--;
    }

    /// <summary>Adds one slot at <paramref name="ticks"/> in its place in time (after every slot at or before it).</summary>
    private void Insert(long ticks)
    {
        var index = _length;
        while (index > 0 && _runs[(_head + index - 1) % _runs.Length].Ticks > ticks) index--;
        if (index > 0 && _runs[(_head + index - 1) % _runs.Length].Ticks == ticks)
        {
            _runs[(_head + index - 1) % _runs.Length].Count++;
            _total++;
            return;
        }
        Append(long.MaxValue); // grows the array when full; its place is then filled by the shift below
        for (var i = _length - 1; i > index; i--) _runs[(_head + i) % _runs.Length] = _runs[(_head + i - 1) % _runs.Length];
        _runs[(_head + index) % _runs.Length] = (ticks, 1);
    }

    private ref (long Ticks, int Count) Last => ref _runs[(_head + _length - 1) % _runs.Length];

    /// <summary>Drops slots older than a window, and all but the last permitLimit: neither can decide a later slot.</summary>
    private void Forget(long now, int permitLimit, long windowTicks)
    {
        while (_length > 0)
        {
            ref var first = ref _runs[_head];
            if (first.Ticks + windowTicks <= now) { DropFirst(first.Count); continue; }
            var excess = _total - permitLimit;
            if (excess <= 0) break;
            if (excess >= first.Count) { DropFirst(first.Count); continue; }
            first.Count -= (int)excess;
            _total -= excess;
            break;
        }
    }

    private void DropFirst(int count)
    {
        _total -= count;
        _head = (_head + 1) % _runs.Length;
        _length--;
    }

    private void Append(long ticks)
    {
        _total++;
        if (_length > 0 && Last.Ticks == ticks)
        {
            Last.Count++;
            return;
        }
        if (_length == _runs.Length)
        {
            var grown = new (long, int)[_runs.Length * 2];
            for (var i = 0; i < _length; i++) grown[i] = _runs[(_head + i) % _runs.Length];
            (_runs, _head) = (grown, 0);
        }
        _runs[(_head + _length) % _runs.Length] = (ticks, 1);
        _length++;
    }
}
