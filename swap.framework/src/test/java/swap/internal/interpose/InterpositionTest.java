package swap.internal.interpose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import swap.fixture.Shapes;
import swap.fixture.ShapesImpl;
import swap.interpose.Call;
import swap.interpose.Wrapper;
import swap.interpose.WrapperHandle;
import swap.internal.ott.EntryImpl;
import swap.internal.ott.TableImpl;
import swap.internal.stub.InterposerBase;

class InterpositionTest {

    private final TableImpl table = new TableImpl();
    private final ShapesImpl impl = new ShapesImpl("box");
    private final EntryImpl<Shapes> entry = table.registerEntry("s", Shapes.class, impl);
    private final Shapes stub = entry.stub();
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    /** Records its hooks in {@link #log} under its name. */
    private final class Recorder implements Wrapper {
        private final String name;

        Recorder(String name) {
            this.name = name;
        }

        @Override
        public Object preCall(Call call) {
            log.add(name + ".pre " + call.method().getName() + call.arguments());
            return name + "-token";
        }

        @Override
        public void postCall(Call call, Object token) {
            log.add(name + ".post " + call.method().getName() + " " + token + " "
                    + (call.threw() ? "threw " + call.thrown().getClass().getSimpleName() : "-> " + call.result()));
        }

        @Override
        public String name() {
            return name;
        }
    }

    @Test
    void wrappersStackWithTheLastAttachedOutermost() {
        entry.attach(new Recorder("inner"));
        entry.attach(new Recorder("outer"));
        assertThat(stub.add(2, 3)).isEqualTo(5);
        assertThat(log).containsExactly(
                "outer.pre add[2, 3]", "inner.pre add[2, 3]",
                "inner.post add inner-token -> 5", "outer.post add outer-token -> 5");
        assertThat(entry.snapshot().wrappers).containsExactly("outer", "inner");
    }

    @Test
    void postCallsSeeExceptionsThatReachTheCallerUnchanged() {
        entry.attach(new Recorder("w"));
        assertThatThrownBy(() -> stub.failChecked("disk")).isExactlyInstanceOf(IOException.class).hasMessage("disk");
        assertThat(log).containsExactly("w.pre failChecked[disk]", "w.post failChecked w-token threw IOException");
    }

    @Test
    void aWrapperLimitedToSomeMethodsSeesOnlyThose() {
        entry.attach(new Recorder("adds"), "add");
        stub.add(1, 1);
        stub.add(1L, 1L);
        stub.name();
        assertThat(log).containsExactly("adds.pre add[1, 1]", "adds.post add adds-token -> 2",
                "adds.pre add[1, 1]", "adds.post add adds-token -> 1000000000002");
    }

    @Test
    void wrappersRewriteArgumentsAndResults() {
        entry.attach(new Wrapper() {
            @Override
            public Object preCall(Call call) {
                call.setArgument(0, (Integer) call.argument(0) * 10);
                return null;
            }

            @Override
            public void postCall(Call call, Object token) {
                call.setResult(-(Integer) call.result());
            }
        }, "add");
        assertThat(stub.add(2, 3)).isEqualTo(-23);
        assertThat(stub.add("a", "b")).as("String add: rewritten to a wrong type? no: setArgument checks")
                .isEqualTo("a+b");
    }

    @Test
    void aWrapperThatThrowsIsReportedAndTheCallGoesOnUnaffected() {
        Wrapper broken = new Wrapper() {
            @Override
            public Object preCall(Call call) {
                call.setArgument(0, 1000); // undone: the hook fails after it
                throw new IllegalStateException("broken pre");
            }

            @Override
            public void postCall(Call call, Object token) {
                throw new IllegalStateException("never: preCall failed");
            }
        };
        Wrapper brokenPost = new Wrapper() {
            @Override
            public void postCall(Call call, Object token) {
                call.setResult(-1); // undone
                throw new IllegalStateException("broken post");
            }
        };
        entry.attach(broken, "add");
        entry.attach(brokenPost, "add");
        entry.attach(new Recorder("outer"), "add");
        for (int i = 0; i < 100; i++) {
            assertThat(stub.add(2, 3)).isEqualTo(5);
        }
        assertThat(log).hasSize(200).allMatch(l -> l.endsWith("[2, 3]") || l.endsWith("-> 5"));
        List<Attachment> attachments = ((InterposerBase) entry.target()).chain().attachments();
        Attachment pre = attachments.get(2);
        Attachment post = attachments.get(1);
        assertThat(pre.wrapper()).isSameAs(broken);
        assertThat(pre.failures()).isEqualTo(100);
        assertThat(pre.reports()).as("rate-limited: one report per period").isEqualTo(1);
        assertThat(post.failures()).isEqualTo(100);
        assertThat(post.reports()).isEqualTo(1);
    }

    @Test
    void badRewritesAreTheWrappersFailureNotTheCallers() {
        entry.attach(new Wrapper() {
            @Override
            public Object preCall(Call call) {
                call.setArgument(0, "not an int");
                return null;
            }
        }, "add");
        entry.attach(new Wrapper() {
            @Override
            public void postCall(Call call, Object token) {
                call.setResult(null); // int result: null is refused
            }
        }, "add");
        assertThat(stub.add(2, 3)).isEqualTo(5);
        assertThat(stub.add(2L, 3L)).isEqualTo(1_000_000_000_005L);
    }

    @Test
    void aWrapperCanEndACallWithAnException() {
        entry.attach(new Recorder("outer"));
        entry.attach(new Wrapper() {
            @Override
            public Object preCall(Call call) {
                call.abort(new IOException("injected"));
                return null;
            }
        }, "failChecked", "add");
        entry.attach(new Recorder("outermost"));
        int before = impl.count();
        assertThatThrownBy(() -> stub.failChecked("x")).isExactlyInstanceOf(IOException.class).hasMessage("injected");
        assertThat(impl.count()).as("the instance was not called").isEqualTo(before);
        assertThat(log).containsExactly("outermost.pre failChecked[x]", "outermost.post failChecked outermost-token threw IOException");
        log.clear();
        // add does not declare IOException: the abort is refused, reported, and the call goes on
        assertThat(stub.add(1, 2)).isEqualTo(3);
        assertThat(log).containsExactly("outermost.pre add[1, 2]", "outer.pre add[1, 2]",
                "outer.post add outer-token -> 3", "outermost.post add outermost-token -> 3");
    }

    @Test
    void aWrapperWithoutPostCallIsNotCalledAfter() {
        entry.attach(new Wrapper() {
            @Override
            public Object preCall(Call call) {
                log.add("pre");
                return null;
            }

            @Override
            public void postCall(Call call, Object token) {
                log.add("post");
            }

            @Override
            public boolean hasPostCall() {
                return false;
            }
        });
        stub.count();
        assertThat(log).containsExactly("pre");
    }

    @Test
    void detachRemovesExactlyThatWrapper() {
        Recorder same = new Recorder("same");
        WrapperHandle first = entry.attach(same);
        WrapperHandle second = entry.attach(same, "name");
        first.detach();
        assertThat(first.isAttached()).isFalse();
        assertThat(second.isAttached()).isTrue();
        stub.add(1, 1);
        stub.name();
        assertThat(log).containsExactly("same.pre name[]", "same.post name same-token -> box");
        second.detach();
        assertThat(entry.target()).as("no wrapper left: the instance itself").isSameAs(impl);
    }

    @Test
    void callsThatStartedBeforeADetachKeepTheirPostCall() throws Exception {
        java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        WrapperHandle handle = entry.attach(new Wrapper() {
            @Override
            public Object preCall(Call call) {
                log.add("pre");
                inside.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            }

            @Override
            public void postCall(Call call, Object token) {
                log.add("post");
            }
        }, "add");
        Thread caller = new Thread(() -> stub.add(1, 1));
        caller.start();
        assertThat(inside.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        handle.detach();
        stub.add(2, 2); // after detach returned: no wrapper
        release.countDown();
        caller.join(10_000);
        assertThat(caller.isAlive()).isFalse();
        assertThat(log).containsExactly("pre", "post");
    }
}
