package swap.fcm.workload.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Function;
import swap.fcm.workload.FcmOpener;
import swap.fcm.workload.MixedParameters;
import swap.fcm.workload.PostmarkParameters;
import swap.fcm.workload.SdetParameters;
import swap.fcm.workload.StreamParameters;
import swap.fcm.workload.Workload;
import swap.fcm.workload.WorkloadControl;
import swap.fcm.workload.WorkloadResult;

/**
 * A {@link Workload} made of parts: each run makes its parts afresh, so runs share nothing.
 * Immutable and thread-safe.
 */
public final class FileWorkload implements Workload {

    private final String name;
    private final String parameters;
    private final Function<RunContext, Part> headline;
    private final Function<RunContext, Part> background;

    private FileWorkload(String name, String parameters, Function<RunContext, Part> headline,
            Function<RunContext, Part> background) {
        this.name = name;
        this.parameters = parameters;
        this.headline = headline;
        this.background = background;
    }

    public static Workload postmark(PostmarkParameters p) {
        return new FileWorkload("postmark", p.describe(), run -> new Postmark(p, run), null);
    }

    public static Workload sdet(SdetParameters p) {
        return new FileWorkload("sdet", p.describe(), run -> new Sdet(p, run), null);
    }

    public static Workload stream(StreamParameters p) {
        return new FileWorkload("stream", p.describe(), run -> new Streams(p, run, true, false), null);
    }

    public static Workload mixed(MixedParameters p) {
        return new FileWorkload("sdet+stream", p.describe(), run -> new Sdet(p.sdet(), run),
                run -> new Streams(p.stream(), run, false, true));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String describe() {
        return name + " " + parameters;
    }

    @Override
    public WorkloadResult run(FcmOpener opener, Path scratchParent, WorkloadControl control) throws IOException {
        RunContext run = new RunContext(opener, scratchParent, control);
        return new Run(name, run, headline.apply(run), background == null ? null : background.apply(run)).perform();
    }

    @Override
    public String toString() {
        return describe();
    }
}
