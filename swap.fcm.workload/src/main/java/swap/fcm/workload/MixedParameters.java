package swap.fcm.workload;

import java.util.Objects;

/**
 * The parameters of SDET with streams (see {@link Workloads#mixed}): SDET's, and the streams' (whose
 * {@code passes} are not used: each stream reads its file over and over until SDET is done).
 */
public record MixedParameters(SdetParameters sdet, StreamParameters stream) {

    public MixedParameters {
        Objects.requireNonNull(sdet, "sdet");
        Objects.requireNonNull(stream, "stream");
    }

    /** SDET's and the streams' defaults: 4 scripts beside one stream over a 16 MiB file. */
    public static MixedParameters defaults() {
        return new MixedParameters(SdetParameters.defaults(), StreamParameters.defaults());
    }

    /** Both parts' quick parameters. */
    public static MixedParameters quick() {
        return new MixedParameters(SdetParameters.quick(), StreamParameters.quick());
    }

    public MixedParameters withSdet(SdetParameters sdet) {
        return new MixedParameters(sdet, stream);
    }

    public MixedParameters withStream(StreamParameters stream) {
        return new MixedParameters(sdet, stream);
    }

    /** One line: SDET's parameters, then the streams' (without passes). */
    public String describe() {
        return "sdet: " + sdet.describe() + "; stream: streams=" + stream.streams() + " fileSize=" + stream.fileSize()
                + " seed=" + stream.seed();
    }
}
