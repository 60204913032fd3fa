package swap.internal.stub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import swap.internal.ott.TableImpl;
import swap.ott.Entry;

/**
 * Stub classes see the interface's class loader and the framework's, never the
 * implementation's: holding a stub never keeps an implementation's class loader alive, and the
 * generated classes go away with the interface's loader.
 */
class ClassLoaderTest {

    private static final String IFACE = "swap.fixture.loaders.Greeting";
    private static final String IMPL = "swap.fixture.loaders.GreetingImpl";
    private static final Duration GC_BOUND = Duration.ofSeconds(20);
    private static final ReferenceQueue<Object> COLLECTED = new ReferenceQueue<>();

    /** Defines the given classes from this module's compiled bytes, with the given parent. */
    static final class BytesLoader extends ClassLoader {
        private final Map<String, byte[]> classes;

        BytesLoader(String name, ClassLoader parent, String... names) {
            super(name, parent);
            this.classes = new java.util.HashMap<>();
            for (String n : names) {
                classes.put(n, bytes(n));
            }
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] b = classes.get(name);
            if (b == null) {
                throw new ClassNotFoundException(name);
            }
            return defineClass(name, b, 0, b.length);
        }

        private static byte[] bytes(String name) {
            try (InputStream in = ClassLoaderTest.class.getClassLoader().getResourceAsStream(name.replace('.', '/') + ".class")) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Test
    void aStubSeesTheInterfaceAndTheFrameworkButNotTheImplementation() throws Exception {
        ClassLoader ifaceLoader = new BytesLoader("iface", ClassLoader.getPlatformClassLoader(), IFACE);
        ClassLoader implLoader = new BytesLoader("impl", ifaceLoader, IMPL);
        Class<?> iface = ifaceLoader.loadClass(IFACE);
        Object stub = register(new TableImpl(), iface, implLoader.loadClass(IMPL).getConstructor().newInstance()).stub();

        assertThat(iface.getMethod("greet", String.class).invoke(stub, "bob")).isEqualTo("hi bob");
        ClassLoader stubLoader = stub.getClass().getClassLoader();
        assertThat(stubLoader).isInstanceOf(BridgeLoader.class);
        assertThat(stubLoader.getParent()).isSameAs(ifaceLoader);
        assertThat(stubLoader.loadClass(StubBase.class.getName())).as("the framework's runtime").isSameAs(StubBase.class);
        assertThat(stubLoader.loadClass(IFACE)).isSameAs(iface);
        org.assertj.core.api.Assertions.assertThatExceptionOfType(ClassNotFoundException.class)
                .isThrownBy(() -> stubLoader.loadClass(IMPL));
    }

    @Test
    void holdingAStubDoesNotKeepTheImplementationsLoaderAlive() throws Exception {
        ClassLoader ifaceLoader = new BytesLoader("iface", ClassLoader.getPlatformClassLoader(), IFACE);
        Class<?> iface = ifaceLoader.loadClass(IFACE);
        TableImpl table = new TableImpl();
        WeakReference<ClassLoader> impl = registerAndCall(table, iface, ifaceLoader);
        Object stub = table.lookup("g").orElseThrow().stub();

        table.remove("g"); // the table lets go of the instance; the client still holds the stub
        awaitCollected(impl, "the implementation's class loader");
        assertThat(stub).isNotNull();
    }

    @Test
    void theGeneratedClassesGoAwayWithTheInterfacesLoader() throws Exception {
        WeakReference<ClassLoader> iface = generateAndDrop();
        awaitCollected(iface, "the interface's class loader (with its generated stub classes)");
    }

    private static WeakReference<ClassLoader> generateAndDrop() throws Exception {
        ClassLoader ifaceLoader = new BytesLoader("iface", ClassLoader.getPlatformClassLoader(), IFACE);
        ClassLoader implLoader = new BytesLoader("impl", ifaceLoader, IMPL);
        TableImpl table = new TableImpl();
        Class<?> iface = ifaceLoader.loadClass(IFACE);
        Object stub = register(table, iface, implLoader.loadClass(IMPL).getConstructor().newInstance()).stub();
        assertThat(iface.getMethod("greet", String.class).invoke(stub, "x")).isEqualTo("hi x");
        table.close();
        return new WeakReference<>(ifaceLoader, COLLECTED);
    }

    private static WeakReference<ClassLoader> registerAndCall(TableImpl table, Class<?> iface, ClassLoader ifaceLoader)
            throws Exception {
        ClassLoader implLoader = new BytesLoader("impl", ifaceLoader, IMPL);
        Object instance = implLoader.loadClass(IMPL).getConstructor().newInstance();
        Entry<?> entry = registerAs(table, "g", iface, instance);
        assertThat(iface.getMethod("greet", String.class).invoke(entry.stub(), "y")).isEqualTo("hi y");
        return new WeakReference<>(implLoader, COLLECTED);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Entry<?> register(TableImpl table, Class<?> iface, Object instance) {
        return table.register((Class) iface, instance);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Entry<?> registerAs(TableImpl table, String id, Class<?> iface, Object instance) {
        return table.register(id, (Class) iface, instance);
    }

    static void awaitCollected(WeakReference<?> ref, String what) throws InterruptedException {
        long deadline = System.nanoTime() + GC_BOUND.toNanos();
        while (ref.get() != null) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " was not collected within " + GC_BOUND.toSeconds() + " s");
            }
            System.gc();
            COLLECTED.remove(20); // wakes up as soon as the reference handler enqueues a cleared reference
        }
    }
}
