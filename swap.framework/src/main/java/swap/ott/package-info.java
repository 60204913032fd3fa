/**
 * The Object Translation Table: every swappable component instance is reached through an
 * {@link swap.ott.Entry} of an {@link swap.ott.ObjectTranslationTable}, and its clients hold the
 * entry's {@linkplain swap.ott.Entry#stub() stub}, never the instance. Interposing a wrapper on
 * the instance, or swapping the instance for another, rewrites the entry; clients keep their stub.
 *
 * <p>This is K42's mechanism (Appavoo et al., "Enabling autonomic behavior in systems software
 * with hot swapping", IBM Systems Journal 42(1), 2003): one indirection per object, through a
 * table entry, so that an object can be replaced by rewriting one entry.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package swap.ott;
