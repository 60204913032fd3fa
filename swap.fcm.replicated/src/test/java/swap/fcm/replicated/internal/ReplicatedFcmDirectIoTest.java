package swap.fcm.replicated.internal;

/** Everything {@link ReplicatedFcmTest} checks, on a pool whose caches use direct I/O: partial last pages, write-back, frames exact. */
class ReplicatedFcmDirectIoTest extends ReplicatedFcmTest {

    @Override
    protected boolean directIo() {
        return true;
    }
}
