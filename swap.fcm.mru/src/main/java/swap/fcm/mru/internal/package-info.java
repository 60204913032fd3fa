/**
 * The sequential-stream File Cache Manager: each file keeps at most a small window of frames and
 * drops the pages behind its stream first (K42's approximately-MRU FCM), one lock per file.
 */
package swap.fcm.mru.internal;
