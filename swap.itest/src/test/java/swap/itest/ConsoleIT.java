package swap.itest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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

    private String run(String command) throws Exception {
        Object result = session.execute(command);
        return result == null ? "" : session.format(result, Converter.INSPECT).toString();
    }

    private void assertError(String command, String message) {
        assertThatThrownBy(() -> session.execute(command)).as(command).hasMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).as("one line").doesNotContain("\n"));
    }
}
