/** The frame pool's implementation and its service component (private to the API bundle). */
package swap.fcm.internal.pool;
