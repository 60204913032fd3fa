package swap.console.internal;

import java.util.function.Consumer;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.CommandSessionListener;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Tells the container's launcher about every shell command that failed, so that a script fed to
 * the container on its standard input ends the process with a non-zero exit status.
 *
 * <p>The launcher registers a {@code Consumer<String>} with the service property
 * {@value #SINK_PROPERTY}{@code =true} (it is the only party that can: the type comes from
 * {@code java.base}, which the launcher and every bundle share). Where there is none (a framework
 * started by anything else) failures go nowhere. Gogo calls
 * {@link #afterExecute(CommandSession, CharSequence, Exception)} for every command line it
 * executes, in every session; a line that ended in an exception (including "Command not found") is
 * passed on as one line: the command and its error message.
 */
@Component(service = CommandSessionListener.class)
public class FailedCommands implements CommandSessionListener {

    /** The service property that marks the launcher's sink; the launcher names the same string. */
    static final String SINK_PROPERTY = "swap.launcher.failed.commands";

    @Reference(target = "(" + SINK_PROPERTY + "=true)", cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC)
    private volatile Consumer<String> sink;

    @Override
    public void beforeExecute(CommandSession session, CharSequence command) {
        // only outcomes count
    }

    @Override
    public void afterExecute(CommandSession session, CharSequence command, Exception exception) {
        Consumer<String> s = sink;
        if (exception != null && s != null) {
            s.accept(command.toString().strip() + ": " + oneLine(exception));
        }
    }

    @Override
    public void afterExecute(CommandSession session, CharSequence command, Object result) {
        // a result is a success
    }

    private static String oneLine(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
