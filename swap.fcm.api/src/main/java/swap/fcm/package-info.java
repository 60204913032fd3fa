/**
 * The File Cache Manager family: the {@link swap.fcm.FileCacheManager} interface (one instance
 * per cached file), the shared {@link swap.fcm.FramePool} of page frames every instance draws
 * from, the canonical state format ({@link swap.fcm.FcmState}, {@link swap.fcm.PageDescriptor})
 * that lets any two implementations of the family swap with their state, the characteristic
 * service properties of the implementations' factories ({@link swap.fcm.FcmProperties}), and
 * the facade {@link swap.fcm.FileCaches} that opens a cached file behind a swap stub.
 *
 * <p>This bundle holds only what clients, stubs and implementations are linked against (plus the
 * frame pool's service component), so that an implementation bundle can be updated without
 * touching it. See K42's "File Cache Manager" running example (design/K42-DIGEST.md).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.4.0")
package swap.fcm;
