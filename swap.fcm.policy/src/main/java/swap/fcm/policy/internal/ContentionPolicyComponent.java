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
 * The contention policy as a service, configured by Configuration Admin (PID {@value #PID}); a
 * changed configuration applies in place (a malformed one is logged and ignored).
 */
@Component(service = SwapPolicy.class, configurationPid = ContentionPolicyComponent.PID,
        property = "swap.policy.name=" + ContentionPolicy.NAME)
@Designate(ocd = ContentionPolicyComponent.Config.class)
public class ContentionPolicyComponent extends ContentionPolicy {

    /** The configuration PID. */
    public static final String PID = "swap.fcm.policy.contention";

    @ObjectClassDefinition(name = "swap FCM contention policy",
            description = "Moves a file cache to the replicated FCM while several threads use it at once, and back when it is quiet.")
    public @interface Config {
        @AttributeDefinition(name = "Enabled", description = "Whether the policy watches and swaps FCMs.")
        boolean enabled() default true;

        @AttributeDefinition(name = "Threads", min = "2",
                description = "A call that finds this many threads inside the cache (itself included) counts as contended.")
        int threads() default 2;

        @AttributeDefinition(name = "Contended calls", min = "1",
                description = "This many contended calls within one period move a cache to the replicated FCM.")
        int contended_calls() default 16;

        @AttributeDefinition(name = "Period (ms)", min = "1", description = "How often the counts are looked at.")
        int period_millis() default 100;

        @AttributeDefinition(name = "Quiet (ms)", min = "0",
                description = "A replicated cache without a contended call for this long goes back to the default FCM.")
        int quiet_millis() default 1000;

        @AttributeDefinition(name = "Concurrent FCM", description = "The filter over FCM factories that names the concurrent one.")
        String concurrent_filter() default "(fcm.optimized.for=concurrent)";

        @AttributeDefinition(name = "Fewest processors", min = "1",
                description = "With fewer processors than this the policy attaches no monitor: the replicated FCM does not pay.")
        int min_processors() default 4;

        @AttributeDefinition(name = "Default FCM", description = "The filter over FCM factories that names the default one.")
        String default_filter() default "(fcm.optimized.for=exclusive)";
    }

    @Activate
    public ContentionPolicyComponent(@Reference(name = "components") SwapComponents components, Config config) {
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
        return new Settings(c.threads(), c.contended_calls(), c.period_millis(), c.quiet_millis(), c.min_processors(), c.concurrent_filter(),
                c.default_filter());
    }
}
