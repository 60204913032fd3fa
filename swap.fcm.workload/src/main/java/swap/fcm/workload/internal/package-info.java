/**
 * The workloads' implementation: a run ({@link swap.fcm.workload.internal.Run}) of one or two
 * parts ({@link swap.fcm.workload.internal.Part}: Postmark, SDET, streams), each with its scratch
 * directory, its caches and its threads; the deterministic file contents every read is checked
 * against. Not exported.
 */
package swap.fcm.workload.internal;
