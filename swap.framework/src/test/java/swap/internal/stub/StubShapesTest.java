package swap.internal.stub;

import swap.fixture.Shapes;
import swap.fixture.ShapesImpl;
import swap.internal.ott.TableImpl;

/** The contract through a stub. */
class StubShapesTest extends ShapesContract {
    @Override
    protected Shapes subject(ShapesImpl impl) {
        return new TableImpl().register(Shapes.class, impl).stub();
    }
}
