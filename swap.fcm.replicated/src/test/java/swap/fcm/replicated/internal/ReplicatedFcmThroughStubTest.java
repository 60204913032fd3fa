package swap.fcm.replicated.internal;

import static org.assertj.core.api.Assertions.assertThat;

import swap.fcm.FileCacheManager;
import swap.fcm.FramePool;
import swap.fcm.contract.FcmContract;
import swap.internal.ott.TableImpl;

/** The FCM contract on the replicated FCM, called through an Object Translation Table stub. */
class ReplicatedFcmThroughStubTest extends FcmContract {

    private final TableImpl table = new TableImpl();

    @Override
    protected FileCacheManager newFcm(FramePool pool) {
        return new ReplicatedFcm(pool);
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
