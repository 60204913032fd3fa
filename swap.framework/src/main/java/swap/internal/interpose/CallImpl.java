package swap.internal.interpose;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import swap.interpose.Call;

/**
 * One call through an interposer: the arguments (boxed), the wrappers that apply, their tokens,
 * and the outcome. Confined to the calling thread; the generated interposer drives it through
 * {@link Chain#begin}, {@link #args()}, then {@link #returned} or {@link #threw}.
 *
 * <p>A wrapper's changes to the call are recorded so that they can be undone if that wrapper's
 * hook throws: the first {@link #setArgument} of a hook copies the arguments, the first
 * {@link #setResult} keeps the previous result.
 */
public final class CallImpl implements Call {

    private static final int PRE = 0;
    private static final int INVOKE = 1;
    private static final int POST = 2;

    private final Chain chain;
    private final int index;
    private final Attachment[] wrappers;
    /**
     * The token of each wrapper whose preCall completed (its postCall is due), or {@link #SKIP}.
     * With one wrapper (the common case) the token is kept in {@link #token0} and no array is
     * allocated.
     */
    private final Object[] tokens;
    private Object token0 = SKIP;
    private static final Object SKIP = new Object();
    private Object[] args;
    private Object[] argsBeforeHook;
    private Object result;
    private Object resultBeforeHook;
    private boolean resultChangedInHook;
    private Throwable thrown;
    private Throwable abort;
    private int phase = PRE;

    CallImpl(Chain chain, int index, Object[] args, Attachment[] wrappers) {
        this.chain = chain;
        this.index = index;
        this.args = args;
        this.wrappers = wrappers;
        if (wrappers.length > 1) {
            tokens = new Object[wrappers.length];
            Arrays.fill(tokens, SKIP);
        } else {
            tokens = null;
        }
    }

    void runPreCalls() {
        for (int i = 0; i < wrappers.length; i++) {
            Attachment a = wrappers[i];
            argsBeforeHook = null;
            setToken(i, SKIP);
            try {
                setToken(i, a.wrapper.preCall(this));
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable failure) {
                if (argsBeforeHook != null) {
                    args = argsBeforeHook;
                }
                abort = null;
                a.report(chain.entryId, method().getName(), "preCall", failure);
            }
            if (abort != null) {
                Throwable t = abort;
                threw(t);
                throw CallImpl.<RuntimeException>sneaky(t);
            }
        }
        argsBeforeHook = null;
        phase = INVOKE;
    }

    private void setToken(int i, Object token) {
        if (tokens == null) {
            token0 = token;
        } else {
            tokens[i] = token;
        }
    }

    private Object token(int i) {
        return tokens == null ? token0 : tokens[i];
    }

    /** The arguments to call the delegate with (as the wrappers left them). */
    public Object[] args() {
        return args;
    }

    /** Runs the postCalls, innermost first, after the delegate returned; returns the result to return. */
    public Object returned(Object value) {
        phase = POST;
        result = value;
        runPostCalls();
        return result;
    }

    /** Runs the postCalls, innermost first, after the delegate threw; returns {@code t} to rethrow. */
    public Throwable threw(Throwable t) {
        phase = POST;
        thrown = t;
        runPostCalls();
        return t;
    }

    private void runPostCalls() {
        for (int i = wrappers.length - 1; i >= 0; i--) {
            Attachment a = wrappers[i];
            Object token = token(i);
            if (token == SKIP || !a.hasPostCall) {
                continue;
            }
            resultChangedInHook = false;
            try {
                a.wrapper.postCall(this, token);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable failure) {
                if (resultChangedInHook) {
                    result = resultBeforeHook;
                }
                a.report(chain.entryId, method().getName(), "postCall", failure);
            }
        }
    }

    @Override
    public String entryId() {
        return chain.entryId;
    }

    @Override
    public Method method() {
        return chain.model.method(index);
    }

    @Override
    public List<Object> arguments() {
        return Collections.unmodifiableList(Arrays.asList(args.clone()));
    }

    @Override
    public Object argument(int i) {
        return args[i];
    }

    @Override
    public void setArgument(int i, Object value) {
        if (phase != PRE) {
            throw new IllegalStateException("arguments can be set in preCall only");
        }
        Class<?>[] types = method().getParameterTypes();
        if (i < 0 || i >= types.length) {
            throw new IndexOutOfBoundsException(method().getName() + " has " + types.length + " parameters, not " + (i + 1));
        }
        checkAssignable(types[i], value, "parameter " + i + " of " + method().getName());
        if (argsBeforeHook == null) {
            argsBeforeHook = args;
            args = args.clone();
        }
        args[i] = value;
    }

    @Override
    public void abort(Throwable exception) {
        if (phase != PRE) {
            throw new IllegalStateException("a call can be aborted in preCall only");
        }
        if (!(exception instanceof RuntimeException) && !(exception instanceof Error)) {
            boolean declared = false;
            for (Class<?> t : method().getExceptionTypes()) {
                declared |= t.isInstance(exception);
            }
            if (!declared) {
                throw new IllegalArgumentException(method().getName() + " does not declare " + exception.getClass().getName());
            }
        }
        abort = exception;
    }

    @Override
    public boolean threw() {
        checkPost();
        return thrown != null;
    }

    @Override
    public Throwable thrown() {
        checkPost();
        return thrown;
    }

    @Override
    public Object result() {
        checkPost();
        return result;
    }

    @Override
    public void setResult(Object value) {
        checkPost();
        if (thrown != null) {
            throw new IllegalStateException("the call threw " + thrown.getClass().getName() + "; there is no result to set");
        }
        Class<?> type = method().getReturnType();
        if (type == void.class) {
            if (value != null) {
                throw new IllegalArgumentException(method().getName() + " returns void");
            }
        } else {
            checkAssignable(type, value, "the result of " + method().getName());
        }
        if (!resultChangedInHook) {
            resultBeforeHook = result;
            resultChangedInHook = true;
        }
        result = value;
    }

    private void checkPost() {
        if (phase != POST) {
            throw new IllegalStateException("the outcome of a call is known in postCall only");
        }
    }

    private static void checkAssignable(Class<?> type, Object value, String what) {
        if (type.isPrimitive()) {
            if (value == null || value.getClass() != wrapperOf(type)) {
                throw new IllegalArgumentException(what + " is a " + type + "; cannot take "
                        + (value == null ? "null" : value.getClass().getName()));
            }
        } else if (value != null && !type.isInstance(value)) {
            throw new IllegalArgumentException(what + " is a " + type.getName() + "; cannot take " + value.getClass().getName());
        }
    }

    private static Class<?> wrapperOf(Class<?> primitive) {
        return switch (primitive.getName()) {
            case "int" -> Integer.class;
            case "long" -> Long.class;
            case "boolean" -> Boolean.class;
            case "double" -> Double.class;
            case "float" -> Float.class;
            case "short" -> Short.class;
            case "byte" -> Byte.class;
            case "char" -> Character.class;
            default -> throw new IllegalArgumentException(primitive.getName());
        };
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T sneaky(Throwable t) throws T {
        throw (T) t;
    }
}
