package swap.internal.stub;

/**
 * Defines the generated classes of one interface. It sees the interface's class loader (its
 * parent: the interface and every type in its signatures) and, for the framework's internal
 * packages only, the framework's class loader (the runtime the generated code calls). It never
 * sees an implementation's class loader, so a generated class cannot keep one alive.
 */
final class BridgeLoader extends ClassLoader {

    static {
        registerAsParallelCapable();
    }

    private static final String FRAMEWORK_PACKAGE = "swap.internal.";
    private final ClassLoader framework = BridgeLoader.class.getClassLoader();

    BridgeLoader(ClassLoader interfaceLoader) {
        super("swap-stubs", interfaceLoader);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (name.startsWith(FRAMEWORK_PACKAGE)) {
            synchronized (getClassLoadingLock(name)) {
                Class<?> own = findLoadedClass(name); // a generated class of this loader
                return own != null ? own : framework.loadClass(name);
            }
        }
        return super.loadClass(name, resolve);
    }

    Class<?> define(String binaryName, byte[] bytes) {
        return defineClass(binaryName, bytes, 0, bytes.length, BridgeLoader.class.getProtectionDomain());
    }
}
