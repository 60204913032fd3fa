/**
 * The FCM family's adaptive policies (private to this bundle): interposed monitors on every FCM
 * instance that ask the swap framework to move an instance to the implementation made for what
 * they see.
 */
package swap.fcm.policy.internal;
