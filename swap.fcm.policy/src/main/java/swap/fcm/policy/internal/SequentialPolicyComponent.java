package swap.fcm.policy.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import swap.osgi.SwapComponents;
import swap.policy.SwapPolicy;

/**
 * The sequential policy as a service, configured by Configuration Admin (PID {@value #PID}); a
 * changed configuration applies in place (a malformed one is logged and ignored).
 */
@Component(service = SwapPolicy.class, configurationPid = SequentialPolicyComponent.PID,
        property = "swap.policy.name=" + SequentialPolicy.NAME)
@Designate(ocd = SequentialPolicyComponent.Config.class)
public class SequentialPolicyComponent extends SequentialPolicy {

    /** The configuration PID. */
    public static final String PID = "swap.fcm.policy.sequential";

    @ObjectClassDefinition(name = "swap FCM sequential policy",
            description = "Moves a file cache to the streaming (MRU) FCM while its pages are requested in order, and back.")
    public @interface Config {
        @AttributeDefinition(name = "Enabled", description = "Whether the policy watches and swaps FCMs.")
        boolean enabled() default true;

        @AttributeDefinition(name = "Sequential pages", min = "1",
                description = "More than this many pages requested in order move a cache to the streaming FCM.")
        int sequential_pages() default 20;

        @AttributeDefinition(name = "Non-sequential pages", min = "1",
                description = "More than this many pages requested out of order move a streaming cache back to the default FCM.")
        int random_pages() default 10;

        @AttributeDefinition(name = "Streaming FCM", description = "The filter over FCM factories that names the streaming one.")
        String stream_filter() default "(fcm.optimized.for=sequential)";

        @AttributeDefinition(name = "Smallest streamed file (pages)", min = "0",
                description = "A file with fewer pages is never moved to the streaming FCM: it fits the cache and is read whole again.")
        int min_file_pages() default 64;

        @AttributeDefinition(name = "Default FCM", description = "The filter over FCM factories that names the default one.")
        String default_filter() default "(fcm.optimized.for=exclusive)";
    }

    @Activate
    public SequentialPolicyComponent(@Reference(name = "components") SwapComponents components, Config config) {
        super(Switchboard.over(components), settings(config));
        setEnabled(config.enabled());
    }

    @Modified
    void modified(Config config) {
        reconfigure(PID, () -> setSettings(settings(config)), config.enabled());
    }

    @Deactivate
    void deactivate() {
        close();
    }

    private static Settings settings(Config c) {
        return new Settings(c.sequential_pages(), c.random_pages(), c.min_file_pages(), c.stream_filter(), c.default_filter());
    }
}
