/**
 * Interposition: {@link swap.interpose.Wrapper}s with pre- and post-call hooks, attached to and
 * detached from a live entry while it is being called (K42's generic interposer).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package swap.interpose;
