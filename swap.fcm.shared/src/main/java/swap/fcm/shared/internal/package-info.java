/** The shared (single) File Cache Manager: one structure, LRU replacement, one lock. */
package swap.fcm.shared.internal;
