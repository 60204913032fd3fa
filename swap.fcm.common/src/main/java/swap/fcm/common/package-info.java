/**
 * Code the FCM implementations share, embedded privately in each implementation bundle (bnd
 * {@code -conditionalpackage: swap.fcm.common}): never exported, so each bundle can be updated on
 * its own.
 */
package swap.fcm.common;
