package swap.fcm;

/**
 * A snapshot of one {@link FileCacheManager}'s counters: a DTO, with public fields written once
 * by the instance and never changed afterwards.
 */
public class FcmStatistics {

    /** Page lookups that found the page resident. */
    public long hits;

    /** Page lookups that had to take a frame (reading the page from the file unless a write covered it whole). */
    public long misses;

    /** Pages evicted to make room for others (their frames reused). */
    public long evictions;

    /** Dirty pages written to the file (on eviction, flush or close). */
    public long writeBacks;

    /** Frames this instance holds now (one per resident page). */
    public int framesHeld;

    /** Resident pages that differ from the file now. */
    public int dirtyPages;

    /** Hits over lookups, or 0 before the first lookup. */
    public double hitRatio() {
        long lookups = hits + misses;
        return lookups == 0 ? 0 : (double) hits / lookups;
    }

    @Override
    public String toString() {
        return "hits " + hits + ", misses " + misses + ", evictions " + evictions + ", write-backs " + writeBacks
                + ", frames " + framesHeld + ", dirty " + dirtyPages;
    }
}
