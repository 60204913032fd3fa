/**
 * The papers' File Cache Manager workloads as real file workloads: {@linkplain Workloads#postmark
 * Postmark-like} (one thread, many small files), {@linkplain Workloads#sdet SDET-like} (concurrent
 * scripts of shell-like commands over a shared working set), {@linkplain Workloads#stream
 * streaming} (large files read sequentially) and {@linkplain Workloads#mixed SDET with streams}.
 *
 * <p>A {@link swap.fcm.workload.Workload} creates its files in a fresh temporary directory, opens
 * one {@link swap.fcm.FileCacheManager} per file through an {@link swap.fcm.workload.FcmOpener}
 * (instances made directly, or stubs from the swap framework), verifies every byte it reads (the
 * contents are a function of file and offset, so each workload is also a correctness check of the
 * caches), and always releases its caches and deletes its directory. It runs in the calling
 * thread (starting its own threads where it is concurrent); another thread watches its progress
 * and may stop it through its {@link swap.fcm.workload.WorkloadControl}; the run returns a
 * {@link swap.fcm.workload.WorkloadResult}. Meant for a shell command (a background run with
 * progress and stop) and for the benchmarks (swap.bench).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package swap.fcm.workload;
