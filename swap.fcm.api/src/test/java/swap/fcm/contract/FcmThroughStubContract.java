package swap.fcm.contract;

import static org.assertj.core.api.Assertions.assertThat;

import swap.fcm.FileCacheManager;
import swap.internal.ott.TableImpl;

/**
 * The FCM contract called through an Object Translation Table stub, as clients in the container
 * call an FCM: an implementation's test extends this and gives {@link #newFcm}.
 */
public abstract class FcmThroughStubContract extends FcmContract {

    private final TableImpl table = new TableImpl();

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
