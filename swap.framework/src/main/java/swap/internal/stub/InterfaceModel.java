package swap.internal.stub;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import swap.internal.interpose.Chain;
import swap.internal.ott.EntryImpl;

/**
 * What the framework knows about one component interface: the methods a stub forwards (each
 * with a dense index) and the generated stub and interposer classes. Built once per interface
 * and cached with the interface class ({@link #of}), so it is collected with the interface's
 * class loader.
 */
public final class InterfaceModel {

    private static final ClassValue<InterfaceModel> MODELS = new ClassValue<>() {
        @Override
        protected InterfaceModel computeValue(Class<?> type) {
            return new InterfaceModel(type);
        }
    };

    private final Class<?> type;
    private final Method[] methods;
    private final Map<String, int[]> indexesByName;
    private final MethodHandle newStub;
    private final MethodHandle newInterposer;
    private final MethodHandle newMediator;

    private InterfaceModel(Class<?> type) {
        check(type);
        this.type = type;
        this.methods = forwardedMethods(type);
        Map<String, List<Integer>> byName = new LinkedHashMap<>();
        for (int i = 0; i < methods.length; i++) {
            byName.computeIfAbsent(methods[i].getName(), n -> new ArrayList<>()).add(i);
        }
        Map<String, int[]> indexes = new LinkedHashMap<>();
        byName.forEach((name, list) -> indexes.put(name, list.stream().mapToInt(Integer::intValue).toArray()));
        this.indexesByName = Collections.unmodifiableMap(indexes);
        StubGenerator.Generated generated = StubGenerator.generate(type, methods);
        try {
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            this.newStub = lookup.findConstructor(generated.stub(), MethodType.methodType(void.class, EntryImpl.class))
                    .asType(MethodType.methodType(Object.class, EntryImpl.class));
            this.newInterposer = lookup.findConstructor(generated.interposer(),
                            MethodType.methodType(void.class, Object.class, Chain.class))
                    .asType(MethodType.methodType(InterposerBase.class, Object.class, Chain.class));
            this.newMediator = lookup.findConstructor(generated.mediator(),
                            MethodType.methodType(void.class, swap.internal.hotswap.Mediator.class))
                    .asType(MethodType.methodType(MediatorBase.class, swap.internal.hotswap.Mediator.class));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("generated classes for " + type.getName() + " are unusable", e);
        }
    }

    /**
     * The model of {@code type}, generating its classes on first use.
     *
     * @throws IllegalArgumentException if {@code type} is not a public interface
     */
    public static InterfaceModel of(Class<?> type) {
        check(type);
        return MODELS.get(type);
    }

    private static void check(Class<?> type) {
        if (!type.isInterface() || type.isAnnotation()) {
            throw new IllegalArgumentException(type.getName() + " is not an interface");
        }
        if (!Modifier.isPublic(type.getModifiers())) {
            throw new IllegalArgumentException(type.getName() + " is not public (a stub must implement it from another package)");
        }
        if (type.isHidden()) {
            throw new IllegalArgumentException(type.getName() + " is a hidden interface and cannot be named by a stub");
        }
    }

    /** The interface. */
    public Class<?> type() {
        return type;
    }

    /** Number of forwarded methods. */
    public int methodCount() {
        return methods.length;
    }

    /** Forwarded method {@code index}. */
    public Method method(int index) {
        return methods[index];
    }

    /** The indexes of the methods with this name, or {@code null} if there is none. */
    public int[] indexesOf(String name) {
        int[] indexes = indexesByName.get(name);
        return indexes == null ? null : indexes.clone();
    }

    /** The names of the forwarded methods. */
    public List<String> methodNames() {
        return List.copyOf(indexesByName.keySet());
    }

    /** A new stub forwarding through {@code entry}. */
    public Object newStub(EntryImpl<?> entry) {
        try {
            return (Object) newStub.invokeExact(entry);
        } catch (Throwable e) {
            throw new IllegalStateException("cannot instantiate the stub of " + type.getName(), e);
        }
    }

    /** A new interposer running {@code chain} around {@code delegate}. */
    public InterposerBase newInterposer(Object delegate, Chain chain) {
        try {
            return (InterposerBase) newInterposer.invokeExact(delegate, chain);
        } catch (Throwable e) {
            throw new IllegalStateException("cannot instantiate the interposer of " + type.getName(), e);
        }
    }

    /** A new mediator object that routes every call through {@code mediator}. */
    public MediatorBase newMediator(swap.internal.hotswap.Mediator mediator) {
        try {
            return (MediatorBase) newMediator.invokeExact(mediator);
        } catch (Throwable e) {
            throw new IllegalStateException("cannot instantiate the mediator of " + type.getName(), e);
        }
    }

    /**
     * The methods a stub implements: every public non-static method of the interface, declared
     * or inherited, abstract or default, one per name and descriptor, except those that
     * {@code Object} already implements ({@code equals}, {@code hashCode}, {@code toString}).
     */
    static Method[] forwardedMethods(Class<?> type) {
        Map<String, Method> bySignature = new LinkedHashMap<>();
        Method[] all = type.getMethods();
        Arrays.sort(all, (a, b) -> signature(a).compareTo(signature(b)));
        for (Method m : all) {
            if (Modifier.isStatic(m.getModifiers()) || isObjectMethod(m)) {
                continue;
            }
            // the same signature from several interfaces: keep the most specific declaration
            bySignature.merge(signature(m), m, (kept, other) ->
                    kept.getDeclaringClass().isAssignableFrom(other.getDeclaringClass()) ? other : kept);
        }
        return bySignature.values().toArray(Method[]::new);
    }

    private static boolean isObjectMethod(Method m) {
        try {
            Method declared = Object.class.getMethod(m.getName(), m.getParameterTypes());
            return Modifier.isPublic(declared.getModifiers());
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    static String signature(Method m) {
        return m.getName() + org.objectweb.asm.Type.getMethodDescriptor(m);
    }

    @Override
    public String toString() {
        return "InterfaceModel[" + type.getName() + ", " + methods.length + " methods]";
    }
}
