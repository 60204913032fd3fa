package swap.fcm.mru.internal;

/** Everything {@link MruFcmTest} checks, on a pool whose caches use direct I/O: partial last pages, write-back, frames exact. */
class MruFcmDirectIoTest extends MruFcmTest {

    @Override
    protected boolean directIo() {
        return true;
    }
}
