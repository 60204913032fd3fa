package swap.itest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import swap.fcm.FcmProperties;
import swap.fcm.FramePool;
import swap.osgi.SwapComponents;
import swap.ott.Entry;
import swap.ott.ObjectTranslationTable;
import swap.sample.counter.Counter;

/**
 * The {@code swap:} shell commands, run through Gogo's {@link CommandProcessor} on a real Felix
 * with the sample counter installed: output and effect asserted, errors one line and nothing
 * changed.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ConsoleIT {

    @Inject
    private BundleContext context;

    @Inject
    private CommandProcessor processor;

    @Inject
    private SwapComponents components;

    @Inject
    private ObjectTranslationTable table;

    @Inject
    private FramePool pool;

    private CommandSession session;
    private Bundle provider;

    @Configuration
    public Option[] config() throws Exception {
        return ContainerOptions.withCounterApi("console");
    }

    @Before
    public void setUp() throws Exception {
        Await.startLevel(context);
        session = processor.createSession(new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream()));
        provider = context.installBundle(Homes.samples().resolve("counter-v1.jar").toUri().toString());
        provider.start();
        Await.until("the counter component", () -> table.lookup(Counter.COMPONENT).isPresent(), () -> "" + table.list());
    }

    @After
    public void tearDown() throws Exception {
        session.close();
        provider.uninstall();
        table.lookup(Counter.COMPONENT).ifPresent(Entry::remove);
        components.instances("sample.counters").forEach(id -> table.remove(id));
    }

    @Test
    public void aFailedCommandReachesTheLaunchersSinkAsOneLine() throws Exception {
        // what the container's launcher registers, so that a script's exit status can say a command failed
        List<String> failures = new CopyOnWriteArrayList<>();
        Hashtable<String, Object> marker = new Hashtable<>();
        marker.put("swap.launcher.failed.commands", Boolean.TRUE);
        ServiceRegistration<?> sink = context.registerService(Consumer.class, (Consumer<String>) failures::add, marker);
        try {
            Await.until("the console bound the sink", () -> {
                Bundle[] users = sink.getReference().getUsingBundles();
                return users != null && Arrays.stream(users).anyMatch(b -> "swap.console".equals(b.getSymbolicName()));
            }, () -> "not bound");
            run("swap:list");
            assertThat(failures).as("a command that succeeded").isEmpty();
            assertError("swap:info nope", "no entry nope");
            assertThatThrownBy(() -> session.execute("nosuchcommand 42")).hasMessageContaining("Command not found");
            assertThat(failures).containsExactly("swap:info nope: no entry nope (swap:list shows them)",
                    "nosuchcommand 42: Command not found: nosuchcommand");
        } finally {
            sink.unregister();
        }
    }

    @Test
    public void listAndInfoShowTheEntries() throws Exception {
        String list = run("swap:list");
        assertThat(list).contains("id").contains("interface").contains("calls")
                .contains(Counter.COMPONENT).contains("Counter").contains("CounterV1").contains("swap.sample.counter.impl 1.0.0");
        String info = run("swap:info " + Counter.COMPONENT);
        assertThat(info).contains("interface       swap.sample.counter.Counter").contains("exports         0x1 (bits 0)")
                .contains("imports         0x1 (bits 0)").contains("wrappers        none");
    }

    @Test
    public void policiesAreListedAndSwitchedOnAndOff() throws Exception {
        String list = run("swap:policy");
        assertThat(list.lines().findFirst().orElseThrow()).startsWith("policy").contains("state").contains("watching");
        assertThat(list).containsPattern("fcm.contention +on ").containsPattern("fcm.sequential +on ")
                .contains("more than 20 sequential pages");
        try {
            assertThat(run("swap:policy off fcm.sequential")).containsPattern("fcm.sequential +off +0 ");
            assertThat(run("swap:policy list")).containsPattern("fcm.sequential +off ").containsPattern("fcm.contention +on ");
            assertError("swap:policy on nosuch", "no policy nosuch (swap:policy lists them)");
            assertError("swap:policy flip fcm.sequential", "usage: swap:policy [list | on <name> | off <name>]");
            assertError("swap:policy lots", "usage: swap:policy");
            assertThat(run("swap:policy list")).as("bad input changed nothing").containsPattern("fcm.sequential +off ");
        } finally {
            assertThat(run("swap:policy on fcm.sequential")).containsPattern("fcm.sequential +on ");
        }
    }

    @Test
    public void nullSwapKeepsTheStateAndIsInTheHistory() throws Exception {
        Counter counter = table.lookup(Counter.COMPONENT, Counter.class).orElseThrow().stub();
        long before = counter.increment();
        String result = run("swap:null --timeout 1000 " + Counter.COMPONENT);
        assertThat(result).contains("swap of sample.counter CounterV1 -> CounterV1 committed").contains("protocol 0");
        assertThat(counter.increment()).isEqualTo(before + 1);
        assertThat(run("swap:history -n 1 " + Counter.COMPONENT)).contains("committed").contains("shell: swap:null");
    }

    @Test
    public void interposeStatsAndDetach() throws Exception {
        Counter counter = table.lookup(Counter.COMPONENT, Counter.class).orElseThrow().stub();
        assertThat(run("swap:interpose --methods increment " + Counter.COMPONENT + " latency"))
                .contains("wrappers        latency");
        for (int i = 0; i < 100; i++) {
            counter.increment();
        }
        counter.version(); // not timed: only increment is
        assertThat(run("swap:stats " + Counter.COMPONENT)).startsWith("entry sample.counter: 100 calls; latency (us) mean");
        assertThat(run("swap:interpose " + Counter.COMPONENT + " counter")).as("the newest wrapper is outermost").contains("wrappers        counter, latency");
        assertThat(run("swap:detach " + Counter.COMPONENT + " latency")).contains("wrappers        counter");
        assertThat(run("swap:detach " + Counter.COMPONENT)).contains("wrappers        none");
        assertError("swap:detach " + Counter.COMPONENT + " latency", "no wrapper named latency attached");
        assertError("swap:stats " + Counter.COMPONENT, "no latency wrapper attached");
    }

    @Test
    public void upgradeDryRunAndSwapByCharacteristics() throws Exception {
        Entry<Counter> made = components.create(Counter.class, "sample.counters", "(swap.impl=plain)");
        made.stub().increment();
        String v2 = Homes.samples().resolve("counter-v2.jar").toUri().toString();

        String upgrade = run("swap:upgrade " + provider.getBundleId() + " " + v2);
        assertThat(upgrade).contains("upgraded swap.sample.counter.impl 1.0.0 -> 2.0.0").contains(made.id()).contains(Counter.COMPONENT);
        provider = context.getBundle(Long.parseLong(upgrade.replaceAll("(?s).*\\(bundle (\\d+)\\).*", "$1")));
        assertThat(made.stub().version()).isEqualTo("2");

        String plan = run("swap:dryrun " + made.id() + " '(sample.counter.optimized.for=concurrent)'");
        assertThat(plan).contains("would swap with protocol 1").contains("concurrent");
        assertThat(made.stub().version()).as("a dry run changes nothing").isEqualTo("2");

        assertThat(run("swap:swap --tries 1 " + made.id() + " concurrent")).contains("committed");
        assertThat(made.stub().version()).isEqualTo("2-concurrent");
        assertThat(made.stub().increment()).as("with its state").isEqualTo(2);
    }

    @Test
    public void badInputGetsOneLineAndChangesNothing() throws Exception {
        Entry<Counter> made = components.create(Counter.class, "sample.counters", "(swap.impl=plain)");
        assertError("swap:info nope", "no entry nope (swap:list shows them)");
        assertError("swap:swap " + made.id() + " '((('", "malformed filter (((");
        assertError("swap:swap " + made.id() + " nosuch", "no factory matches (swap.impl=nosuch)");
        assertError("swap:swap --timeout -5 " + made.id() + " plain", "--timeout must be positive, not -5");
        assertError("swap:interpose " + Counter.COMPONENT + " bogus", "no wrapper named bogus (wrappers: counter, latency, tracer, concurrency)");
        assertError("swap:history -n 0", "-n must be positive, not 0");
        assertError("swap:upgrade 99999 file:/nowhere.jar", "no bundle 99999");
        assertError("swap:upgrade " + provider.getBundleId() + " " + Homes.samples().resolve("counter-v1.jar").toUri(), "not unique");
        assertThatThrownBy(() -> session.execute("swap:info")).as("a missing argument").isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Cannot coerce");
        assertThat(made.stub().version()).isEqualTo("1");
        assertThat(table.lookup(Counter.COMPONENT).orElseThrow().snapshot().wrappers).isEmpty();
        assertThat(Arrays.stream(context.getBundles()).filter(b -> "swap.sample.counter.impl".equals(b.getSymbolicName())).count())
                .as("no bundle left half-installed").isEqualTo(1);
    }

    /**
     * A quick SDET run goes to DONE in the background with its operations and hit ratio; a long
     * Postmark run stops on fcm:workload stop; afterwards no FCM entry of the runs is left in the
     * table and the frame pool holds what it held before.
     */
    @Test
    public void workloadsRunInTheBackgroundAndStop() throws Exception {
        Set<String> fcmBefore = fcmEntries();
        int framesBefore = pool.inUse();

        String started = run("fcm:workload --quick sdet");
        assertThat(started).matches("run \\d+: sdet scripts=2 files=16 minSize=4096 maxSize=16384 commands=200 seed=42 started");
        String quick = started.replaceAll("run (\\d+):.*", "$1");
        awaitDone(quick);
        assertThat(row(quick)).as("done, with operations and the result's line").contains(" DONE ").contains(" 400/400 ")
                .contains("sdet: 400 ops in").containsPattern("hit ratio \\d+\\.\\d%").doesNotContain("stopped");

        String slow = run("fcm:workload --files 200 --transactions 100000000 postmark");
        assertThat(slow).matches("run \\d+: postmark files=200 .* transactions=100000000 .* started");
        String id = slow.replaceAll("run (\\d+):.*", "$1");
        Await.until("run " + id + " running", () -> row(id).contains(" RUNNING "), () -> list());
        String stopped = run("fcm:workload stop " + id);
        assertThat(stopped.lines().findFirst().orElseThrow()).startsWith("run").contains("phase").contains("operations");
        assertThat(stopped.lines().skip(1).toList()).as("its row only").hasSize(1).allMatch(l -> l.startsWith(id + " "));
        awaitDone(id); // stop waits a few seconds at most; a slow clean-up goes on by itself
        assertThat(row(id)).contains(" DONE ").containsPattern("postmark: \\d+ ops in").endsWith(", stopped");

        assertThat(run("fcm:workloads")).as("the bare form lists the same runs").contains("sdet: 400 ops in").contains(", stopped");
        assertThat(fcmEntries()).as("every FCM entry of the runs is removed").isSubsetOf(fcmBefore);
        Await.until("the frame pool back to " + framesBefore + " frames in use", () -> pool.inUse() == framesBefore,
                () -> pool.inUse() + " in use");
    }

    @Test
    public void badWorkloadInputGetsOneLineAndStartsNothing() throws Exception {
        String before = list();
        Set<String> fcmBefore = fcmEntries();
        assertError("fcm:workload nosuch", "no workload named nosuch; there are [postmark, sdet, stream, sdet+stream]");
        assertError("fcm:workload --scripts 0 sdet", "scripts must be in [1, 1024], not 0");
        assertError("fcm:workload --quick --streams 0 sdet+stream", "streams must be in [1, 1024], not 0");
        assertError("fcm:workload --scripts many sdet", "--scripts must be a whole number, not many");
        assertError("fcm:workload --transactions 5 sdet", "--transactions does not apply to sdet (it takes --scripts, --commands, --files)");
        assertError("fcm:workload --filter '(((' sdet", "malformed filter (((");
        assertError("fcm:workload --filter '(swap.impl=nosuch)' sdet", "no FCM factory matches (swap.impl=nosuch)");
        assertError("fcm:workload stop 9999", "no run 9999 (fcm:workload list shows them)");
        assertError("fcm:workload stop x", "no run x (fcm:workload list shows them)");
        assertError("fcm:workload frob 1", "usage: fcm:workload [list | stop <id> | [options] <postmark|sdet|stream|sdet+stream>]");
        assertThat(list()).as("nothing started").isEqualTo(before);
        assertThat(fcmEntries()).isEqualTo(fcmBefore);
    }

    private String list() {
        try {
            return run("fcm:workload list");
        } catch (Exception e) {
            throw new AssertionError("fcm:workload list failed", e);
        }
    }

    /** The table row of run {@code id}, or "" if the list has none. */
    private String row(String id) {
        return list().lines().filter(l -> l.startsWith(id + " ")).findFirst().orElse("");
    }

    private void awaitDone(String id) {
        Await.until("run " + id + " done", () -> row(id).contains(" DONE "), this::list);
    }

    private Set<String> fcmEntries() {
        return table.list().stream().map(e -> e.id).filter(i -> i.startsWith(FcmProperties.COMPONENT + "/")).collect(Collectors.toSet());
    }

    private String run(String command) throws Exception {
        Object result = session.execute(command);
        return result == null ? "" : session.format(result, Converter.INSPECT).toString();
    }

    private void assertError(String command, String message) {
        assertThatThrownBy(() -> session.execute(command)).as(command).hasMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).as("one line").doesNotContain("\n"));
    }
}
