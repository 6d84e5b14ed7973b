namespace CallImport.ImportRunner.Limits;

/// <summary>
/// A request woken after its slot's deadline (a stalled process: GC, CPU-quota throttling; 20–100 ms are common on a
/// busy node) may not go on its slot's time: sent late it would crowd the window after its slot's, planned for others.
/// It goes when it woke, and every slot planned at or after its own (the waiters' still to come, this one's too)
/// follows it by its lateness: the group loses that lateness, not a whole slot (a window ÷ limit: 333 ms at 3 per
/// second) nor the request's place in the queue. A pure decision, like <see cref="ThrottleDecision"/>.
/// <para>
/// Why the window holds: take every slot, sent or planned; those before the late one's time stay, those at or after it
/// (it too) move later by the same lateness. A window that holds moved slots, seen a lateness earlier, held the same moved
/// slots and at least as many of the others (these all lie before the moved ones), and a window that holds none held those
/// others already: no window gains. That needs every slot at or after the late one to move, so it is refused when
/// a request already went on a later slot (its waiter ran first in the same stall), when the cold start's hold (the first
/// request's latest arrival) lies after it, and with a budget shared by other processes, whose later slots this process
/// cannot move. Then, as before, the slot moves alone if the window has room where the request woke, else it is left unused.
/// </para>
/// </summary>
internal static class LateSlotDecision
{
    /// <summary>
    /// Whether the request on <paramref name="slot"/>, woken at <paramref name="now"/>, may go now with the slots planned
    /// at or after <paramref name="slot"/> shifted by its lateness. <paramref name="lastGranted"/>: the latest slot a request
    /// went on (within two windows); <paramref name="coldStartHeldAt"/>: the cold start's hold (long.MinValue: none).
    /// Late by a window or more it is refused too: a slot that late may already be forgotten, and the requests granted
    /// since are remembered only two windows back.
    /// </summary>
    public static bool MayShift(long slot, long now, long lastGranted, long coldStartHeldAt, long windowTicks, bool sharedBudget) =>
        !sharedBudget && now > slot && now - slot < windowTicks && lastGranted <= slot && coldStartHeldAt <= slot;
}
