/**
 * The replicated (distributed) File Cache Manager: a representative per processor, each with its
 * own lock, LRU list and counters, over one copy of each page (see {@link
 * swap.fcm.replicated.internal.ReplicatedFcm}).
 */
package swap.fcm.replicated.internal;
