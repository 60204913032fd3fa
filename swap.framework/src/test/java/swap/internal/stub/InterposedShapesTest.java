package swap.internal.stub;

import swap.fixture.Shapes;
import swap.fixture.ShapesImpl;
import swap.interpose.Wrapper;
import swap.internal.ott.TableImpl;
import swap.ott.Entry;

/** The contract through a stub with an empty wrapper attached. */
class InterposedShapesTest extends ShapesContract {
    @Override
    protected Shapes subject(ShapesImpl impl) {
        Entry<Shapes> entry = new TableImpl().register(Shapes.class, impl);
        entry.attach(new Wrapper() { });
        return entry.stub();
    }
}
