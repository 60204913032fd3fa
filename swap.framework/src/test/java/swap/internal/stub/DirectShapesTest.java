package swap.internal.stub;

import swap.fixture.Shapes;
import swap.fixture.ShapesImpl;

/** The contract against the instance itself: the reference behaviour. */
class DirectShapesTest extends ShapesContract {
    @Override
    protected Shapes subject(ShapesImpl impl) {
        return impl;
    }
}
