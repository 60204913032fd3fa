/**
 * Wrappers that come with the framework: a call counter, a latency histogram, a tracer, a
 * concurrency monitor and a fault injector. Attach them with {@link swap.ott.Entry#attach}; each
 * is thread-safe and may be attached to several entries at once (it then aggregates them).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package swap.interpose.wrappers;
