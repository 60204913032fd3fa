package swap.fcm.mru.internal;

import static org.assertj.core.api.Assertions.assertThat;

import swap.fcm.FileCacheManager;
import swap.fcm.FramePool;
import swap.fcm.contract.FcmContract;
import swap.internal.ott.TableImpl;

/** The FCM contract on the MRU FCM, called through an Object Translation Table stub. */
class MruFcmThroughStubTest extends FcmContract {

    private final TableImpl table = new TableImpl();

    @Override
    protected FileCacheManager newFcm(FramePool pool) {
        return new MruFcm(pool);
    }

    @Override
    protected FileCacheManager front(FileCacheManager fcm) {
        FileCacheManager stub = table.register(FileCacheManager.class, fcm).stub();
        assertThat(stub).isNotSameAs(fcm);
        return stub;
    }

    @Override
    protected void closed() {
        table.close();
    }
}
