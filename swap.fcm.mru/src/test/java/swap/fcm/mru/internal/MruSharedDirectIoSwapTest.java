package swap.fcm.mru.internal;

/** The shared -> MRU swap under load on a pool whose caches use direct I/O: the channel moves with the state. */
class MruSharedDirectIoSwapTest extends MruFromSharedSwapTest {

    @Override
    protected boolean directIo() {
        return true;
    }
}
